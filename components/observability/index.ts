/** The observability tier's components. */
export * from "./alertTopic";
export * from "./logSearch";
export * from "./observability";
