/** Hand-built resources for the cost tests (a planned resource as tools/offline.ts writes it). */
import type { PlannedResource } from "../../../tools/offline";

const STACK = "urn:pulumi:t::hybrid-platform::";
export const provider = (region: string): PlannedResource => resource("pulumi:providers:aws", `aws-${region}`, { region });

/** A resource of `type` named `name` with `props`; custom and with no provider (priced in the stack's region) unless told. */
export function resource(type: string, name: string, props: Record<string, unknown> = {}, extra: Partial<PlannedResource> = {}): PlannedResource {
    return {
        urn: `${STACK}${type}::${name}`,
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
