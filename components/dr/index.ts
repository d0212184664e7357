/** The dr tier's components. */
export * from "./drReplica";
export * from "./globalTraffic";
export * from "./warmCache";
export * from "./drEndpoints";
