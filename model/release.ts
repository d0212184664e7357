/**
 * Release strategies (seed 5) as numbers: how big the candidate track runs and how much of the
 * traffic it receives. Pure; the edge (ALB weights) and the workloads (candidate HPA) read them.
 */
import type { HpaBounds } from "./capacity";

export type Strategy = "rolling" | "canary" | "blueGreen";

/** Blue-green sizes the candidate like stable; a canary runs `canaryWeight` % of it, at least one pod. */
export function candidateBounds(strategy: Exclude<Strategy, "rolling">, canaryWeight: number, stable: HpaBounds): HpaBounds {
    const scale = (n: number) => (strategy === "blueGreen" ? n : Math.max(1, Math.ceil((n * canaryWeight) / 100)));
    return { min: scale(stable.min), max: Math.max(scale(stable.min), scale(stable.max)) };
}

/** Percent of requests to the candidate: canaryWeight under canary; all or nothing under blue-green (promote). */
export function candidateTrafficPercent(strategy: Strategy, canaryWeight: number, promote: boolean): number {
    if (strategy === "rolling") return 0;
    return strategy === "canary" ? canaryWeight : promote ? 100 : 0;
}
