/** The data tier's components. */
export * from "./dataTier";
export * from "./documentStore";
export * from "./onPremObjectStore";
export * from "./postgresDatabase";
export * from "./redisCache";
export * from "./endpoints";
