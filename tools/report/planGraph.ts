/**
 * Reading a planned graph for the capacity, availability and DR reviews (issue #15): typed access to
 * props that may be the preview sentinel, the stack config's sections, and joins by URN dependency
 * (so a join still works in preview, when the IDs it would match on are unknown).
 */
import type { PlannedResource } from "../offline";
import { UNKNOWN } from "../mocks";
import { PROJECT, nestConfig } from "../../model/config";

/** The value, or undefined when it is absent or unknown in preview. */
export function known<T>(v: T | undefined): T | undefined {
    return v === UNKNOWN || v === undefined || v === null ? undefined : v;
}

export const num = (v: unknown): number | undefined => (typeof known(v) === "number" ? (v as number) : undefined);
export const str = (v: unknown): string | undefined => (typeof known(v) === "string" ? (v as string) : undefined);
export const obj = (v: unknown): Record<string, unknown> =>
    known(v) !== undefined && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
export const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** The project's config sections, decoded (`capacity`, `app`, `dr`, ...), and aws:region. */
export function configSections(config: Readonly<Record<string, string>>): { project: Record<string, unknown>; region: string } {
    const nested = nestConfig(config);
    return { project: nested[PROJECT] ?? {}, region: String(nested.aws?.region ?? "") };
}

/** Resources of the plan by type token, built once (O(n)). */
export class PlanIndex {
    readonly byType = new Map<string, PlannedResource[]>();
    readonly byUrn = new Map<string, PlannedResource>();
    readonly byId = new Map<string, PlannedResource>();

    constructor(readonly resources: readonly PlannedResource[]) {
        for (const r of resources) {
            this.byUrn.set(r.urn, r);
            const list = this.byType.get(r.type);
            if (list) list.push(r);
            else this.byType.set(r.type, [r]);
            const id = known(r.id) ?? str(r.props.id);
            if (id) this.byId.set(id, r);
        }
    }

    of(type: string): PlannedResource[] {
        return this.byType.get(type) ?? [];
    }

    /** The resources a property of `r` points at: by its property dependencies (preview-safe), else by the IDs it holds. */
    referenced(r: PlannedResource, property: string): PlannedResource[] {
        const deps = (r.propertyDependencies[property] ?? []).map((u) => this.byUrn.get(u)).filter((x): x is PlannedResource => !!x && x.custom);
        if (deps.length > 0) return deps;
        const v = r.props[property];
        const ids = (Array.isArray(v) ? v : [v]).map(str).filter((x): x is string => !!x);
        return ids.map((id) => this.byId.get(id)).filter((x): x is PlannedResource => !!x);
    }
}
