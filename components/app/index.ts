/** The app tier's components. */
export * from "./appCluster";
export * from "./appClusterArgs";
export * from "./appWorkloads";
