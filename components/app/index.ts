/** The app tier's components. */
export * from "./appCluster";
export * from "./appWorkloads";
