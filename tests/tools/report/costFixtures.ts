/** Hand-built resources for the cost tests (a planned resource as tools/offline.ts writes it). */
import type { PlannedResource } from "../../../tools/offline";
import { plannedResource } from "../../support/plannedResource";

const STACK = "urn:pulumi:t::hybrid-platform::";
export const provider = (region: string): PlannedResource => resource("pulumi:providers:aws", `aws-${region}`, { region });

/** A resource of `type` named `name` with `props`; custom and with no provider (priced in the stack's region) unless told. */
export const resource = (type: string, name: string, props: Record<string, unknown> = {}, extra: Partial<PlannedResource> = {}): PlannedResource =>
    plannedResource(type, name, props, { urn: `${STACK}${type}::${name}`, ...extra });
