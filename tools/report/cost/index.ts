/**
 * Costs a planned graph (issue #15 item 1): every resource is priced by the pricer its type has,
 * declared free (with why), or reported unpriced (with why); none is counted as zero silently.
 * Prices come from the offline table (model/prices), usage-based quantities from stated default
 * assumptions that a usage file (tools/report/usage.ts) may override, like Infracost's usage file.
 */
import type { PlannedResource } from "../../offline";
import { isUnknown } from "../../mocks";
import { HOURS_PER_MONTH, priceOf } from "../../../model/prices";
import { COST_CATEGORIES, CostCategory, CostLine, CostReport } from "../types";
import { COMPUTE_NETWORK } from "./computeNetwork";
import { DATA_OBSERVABILITY } from "./dataObservability";

export { HOURS_PER_MONTH };

/** A usage-based quantity's default: what we assume when nobody says otherwise, and why. */
export interface UsageAssumption {
    /** Key in the usage file, `<service>.<quantity>`, e.g. `nat.dataGbPerMonth`. */
    readonly key: string;
    readonly default: number;
    readonly unit: string;
    /** The assumption in words, e.g. "100 GB/month through each NAT gateway (image pulls go via endpoints)". */
    readonly assumption: string;
    /** Extension: the resource types whose pricers read this key; a usage file setting it on another resource is refused (it would apply to nothing). */
    readonly types?: readonly string[];
}

/** One priced item a pricer returns; the engine looks up the unit price and computes monthly. */
export interface PricedItem {
    readonly item: string;
    readonly quantity: number;
    readonly unit: string;
    readonly priceKey: string;
    readonly category: CostCategory;
    /** Set when the quantity came from ctx.usage(): the line is usage-based and carries its assumption. */
    readonly assumption?: string;
    /** The region whose price applies when it is not the resource's own (e.g. transfer is billed by the sending region). */
    readonly region?: string;
}

export interface PricingContext {
    /** The stack's region (aws:region); a resource with its own provider region is priced in that region. */
    readonly region: string;
    /** The plan date, YYYY-MM-DD. */
    readonly date: string;
    readonly stack: string;
    readonly resources: readonly PlannedResource[];
    readonly byUrn: ReadonlyMap<string, PlannedResource>;
    readonly config: Readonly<Record<string, string>>;
    /** A usage-based quantity for resource `r`: the usage file's value for it, else the file's default, else the registry default. */
    usage(r: PlannedResource, key: string): { value: number; assumption: string };
    /** The region `r` is created in: its provider's `region`, else the stack's. */
    regionOf(r: PlannedResource): string;
}

/** Prices one resource; `{ unpriced }` when it costs money but cannot be priced (e.g. a quantity unknown in preview). */
export type Pricer = (r: PlannedResource, ctx: PricingContext) => PricedItem[] | { unpriced: string };

export interface PricerSet {
    /** By resource type token, e.g. "aws:ec2/natGateway:NatGateway". */
    readonly pricers: Readonly<Record<string, Pricer>>;
    /** Types that cost nothing themselves, each with why (e.g. "IAM roles are free"). */
    readonly free: Readonly<Record<string, string>>;
    readonly usage: readonly UsageAssumption[];
}

/** Type-token prefixes that are never billed by AWS themselves, with why. */
export const FREE_PREFIXES: readonly { prefix: string; why: string }[] = [
    { prefix: "pulumi:", why: "Pulumi provider or stack reference: no cloud resource" },
    { prefix: "kubernetes:", why: "Kubernetes object: runs on the priced worker nodes" },
    { prefix: "grafana:", why: "Grafana object inside the priced Amazon Managed Grafana workspace" },
    { prefix: "random:", why: "generated in the Pulumi state: no cloud resource" },
    { prefix: "command:", why: "a command Pulumi runs: no cloud resource" },
    { prefix: "minio:", why: "on-prem MinIO object: seed 8 excludes on-prem costs" },
];

export const PRICER_SETS: readonly PricerSet[] = [COMPUTE_NETWORK, DATA_OBSERVABILITY];

// A type may be priced by more than one set (CD prices an RDS replica, CC the inter-region stream it causes): each runs.
const PRICERS: Record<string, Pricer[]> = {};
for (const set of PRICER_SETS) for (const [type, pricer] of Object.entries(set.pricers)) (PRICERS[type] ??= []).push(pricer);
const FREE: Record<string, string> = Object.assign({}, ...PRICER_SETS.map((s) => s.free));
export const USAGE_ASSUMPTIONS: ReadonlyMap<string, UsageAssumption> = new Map(PRICER_SETS.flatMap((s) => s.usage).map((u) => [u.key, u]));

/** A usage file, validated (tools/report/usage.ts): overrides by key, for every resource or for one (by name or URN). */
export interface Usage {
    readonly defaults: Readonly<Record<string, number>>;
    readonly resources: Readonly<Record<string, Readonly<Record<string, number>>>>;
}
export const NO_USAGE: Usage = { defaults: {}, resources: {} };

export { isUnknown };

const round2 = (n: number) => Math.round(n * 100) / 100;

export interface CostOptions {
    readonly stack: string;
    readonly region: string;
    readonly date: string;
    readonly config?: Readonly<Record<string, string>>;
    readonly usage?: Usage;
}

/**
 * The region a resource is billed in: its own `region` argument (provider v7 per-resource region), else its
 * explicit provider's region (the dr stack's primary-region provider), else the stack's. A price looked up in
 * the stack's region for a bucket or key in another would be that region's rate, not the one AWS bills.
 */
export function regionOf(r: PlannedResource, byUrn: ReadonlyMap<string, PlannedResource>, stackRegion: string): string {
    const known = (v: unknown): v is string => typeof v === "string" && !isUnknown(v);
    if (known(r.props.region)) return r.props.region;
    const providerUrn = r.provider?.slice(0, r.provider.lastIndexOf("::"));
    const providerRegion = providerUrn ? byUrn.get(providerUrn)?.props.region : undefined;
    return known(providerRegion) ? providerRegion : stackRegion;
}

export function costOf(resources: readonly PlannedResource[], options: CostOptions): CostReport {
    const usage = options.usage ?? NO_USAGE;
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const ctx: PricingContext = {
        regionOf: (r) => regionOf(r, byUrn, options.region),
        region: options.region,
        date: options.date,
        stack: options.stack,
        resources,
        byUrn,
        config: options.config ?? {},
        usage(r, key) {
            const assumption = USAGE_ASSUMPTIONS.get(key);
            if (!assumption) throw new Error(`pricer asked for usage key ${key}, which no pricer set declares`);
            const own = usage.resources[r.urn] ?? usage.resources[r.name];
            if (own && key in own) return { value: own[key], assumption: `usage file: ${key} = ${own[key]} ${assumption.unit} for ${r.name}` };
            if (key in usage.defaults) return { value: usage.defaults[key], assumption: `usage file: ${key} = ${usage.defaults[key]} ${assumption.unit}` };
            return { value: assumption.default, assumption: assumption.assumption };
        },
    };
    const lines: CostLine[] = [];
    const unpriced: CostReport["unpriced"] = [];
    for (const r of resources) {
        const pricers = PRICERS[r.type];
        if (!pricers) {
            if (r.type in FREE || FREE_PREFIXES.some((f) => r.type.startsWith(f.prefix)) || !r.custom) continue;
            unpriced.push({ urn: r.urn, type: r.type, why: "no pricer for this type in tools/report/cost" });
            continue;
        }
        const priced: PricedItem[] = [];
        for (const pricer of pricers) {
            const items = pricer(r, ctx);
            if (Array.isArray(items)) priced.push(...items);
            else unpriced.push({ urn: r.urn, type: r.type, why: items.unpriced });
        }
        for (const p of priced) {
            const region = p.region ?? ctx.regionOf(r);
            const entry = priceOf(p.priceKey, region);
            if (!entry) {
                unpriced.push({ urn: r.urn, type: r.type, why: `no price for ${p.priceKey} in ${region} (model/prices)` });
                continue;
            }
            lines.push({
                urn: r.urn,
                type: r.type,
                item: p.item,
                quantity: p.quantity,
                unit: p.unit,
                unitPrice: entry.usd,
                monthly: round2(p.quantity * entry.usd),
                usageBased: p.assumption !== undefined,
                ...(p.assumption !== undefined ? { assumption: p.assumption } : {}),
                category: p.category,
                priceKey: p.priceKey,
            });
        }
    }
    const categories = COST_CATEGORIES.map((name) => ({ name, monthly: round2(lines.filter((l) => l.category === name).reduce((s, l) => s + l.monthly, 0)) }));
    return {
        currency: "USD",
        asOf: options.date,
        region: options.region,
        monthlyTotal: round2(lines.reduce((s, l) => s + l.monthly, 0)),
        categories,
        lines,
        unpriced,
    };
}
