/** The network tier's components. */
export * from "./networkTier";
