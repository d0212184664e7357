/** One hand-built planned resource (as tools/offline.ts writes it) for the small known graphs of the review's tests. */
import type { PlannedResource } from "../../tools/offline";

/** A custom resource of `type` named `name` with `props`, no provider, no dependencies, id `<name>-id`; `extra` overrides any field. */
export function plannedResource(type: string, name: string, props: Record<string, unknown> = {}, extra: Partial<PlannedResource> = {}): PlannedResource {
    return {
        urn: `urn:pulumi:t::p::${type}::${name}`,
        type,
        name,
        id: `${name}-id`,
        parent: null,
        custom: true,
        provider: null,
        protect: false,
        props,
        dependencies: [],
        propertyDependencies: {},
        ...extra,
    };
}
