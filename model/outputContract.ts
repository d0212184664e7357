/**
 * What the stack-output contracts share (model/primaryOutputs.ts: what dr reads of prod;
 * model/bootstrapOutputs.ts: what prod and dr read of bootstrap): a table over every output saying
 * whether the reading stack requires it, and the required names derived from it.
 */

/** The names a `{ output: required }` table marks `true`. */
export type RequiredKeys<T extends Readonly<Record<string, boolean>>> = { [K in keyof T]: T[K] extends true ? K : never }[keyof T];

/** The required names of a contract table, in its order (the order missing ones are reported in). */
export function requiredKeys<T extends Readonly<Record<string, boolean>>>(table: T): RequiredKeys<T>[] {
    return (Object.keys(table) as (keyof T)[]).filter((key): key is RequiredKeys<T> => table[key] === true);
}

/** The required outputs of a StackReference-like reader, each as the reader returns it (requireOutput: fails if absent). */
export function readRequired<K extends string, O>(keys: readonly K[], requireOutput: (key: K) => O): { readonly [P in K]: O } {
    return Object.fromEntries(keys.map((key) => [key, requireOutput(key)])) as { readonly [P in K]: O };
}
