/** The security tier's components. */
export * from "./auditTrail";
export * from "./customerKey";
export * from "./secureBucket";
