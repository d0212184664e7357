/**
 * The one typed schema for stack configuration, and its loader.
 *
 * Pure: the caller passes the flat key/value map that Pulumi hands a program
 * (`pulumi.runtime.allConfig()`: "namespace:key" -> string, structured values as JSON).
 * Validation happens once, before any resource is declared; the first problem becomes one
 * line that names the key ("hybrid-platform:network.vpcCidr") and what is expected.
 */
import { z } from "zod";
import { appSchema } from "./appConfig";
import { findOverlaps, isPublicIpv4, parseCidr } from "./cidr";
import { checkDrRole, drModeSchema, drSchema } from "./drConfig";
import { AWS_REGIONS } from "./regions";
import { auditSchema } from "./auditConfig";
import { observabilitySchema } from "./observabilityConfig";
import { LOG_RETENTION_DAYS } from "./retention";
import { dataIssues, dataSchema } from "./dataConfig";
import { didYouMean } from "./suggest";

export const PROJECT = "hybrid-platform";

export { AWS_REGIONS };

export { LOG_RETENTION_DAYS } from "./retention";

export { didYouMean } from "./suggest";

const cidr = z.string().refine((v) => parseCidr(v) !== undefined, "an IPv4 CIDR such as 10.10.0.0/16, host bits zero");
const vpcCidr = cidr.refine((v) => {
    const prefix = parseCidr(v)?.prefix ?? 0;
    return prefix >= 16 && prefix <= 20;
}, "an IPv4 CIDR from /16 to /20 (room for three tiers in every AZ)");
const dnsName = z
    .string()
    .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "a lower-case DNS name such as portal.gov.example");
const positiveInt = (max: number) => z.number().int().min(1).max(max);

const onPremSchema = z.strictObject({
    /** On-prem networks routed over the VPN (application VLANs, data VLANs, DMZ). */
    cidrs: z.array(cidr).min(1),
    /** Public IPv4 address of the on-prem VPN device (customer gateway). */
    vpnPeerAddress: z.string().refine(isPublicIpv4, "a public IPv4 address (the on-prem VPN device's outside interface)"),
    /** BGP ASN of the on-prem router: a private ASN. */
    bgpAsn: z
        .number()
        .int()
        .refine((n) => (n >= 64512 && n <= 65534) || (n >= 4200000000 && n <= 4294967294), "a private BGP ASN (64512-65534 or 4200000000-4294967294)"),
    /** Static routes instead of BGP on the VPN tunnels. Default false (BGP: failover between tunnels without manual routes). */
    staticRoutesOnly: z.boolean().default(false),
    /** Existing Direct Connect gateway to associate with the VPN gateway. Default: none (VPN only). */
    directConnectGatewayId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "a Direct Connect gateway id (a UUID)").optional(),
});

const networkSchema = z.strictObject({
    /** The VPC's CIDR, /16 to /20. */
    vpcCidr,
    /** Availability zones to spread every tier across. Default 3; prod needs at least 3. */
    azCount: z.number().int().min(2).max(6).default(3),
    /** Opt-out: one shared NAT gateway instead of one per AZ (an AZ outage then cuts egress). Default false; reported by policy. */
    singleNatGateway: z.boolean().default(false),
    /** Retention of VPC flow logs in CloudWatch. Default 365 days. */
    flowLogRetentionDays: z
        .number()
        .int()
        .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), `one of CloudWatch's retention values (${LOG_RETENTION_DAYS.join(", ")})`)
        .default(365),
    /** CIDRs of this project's other VPCs (the DR or primary region); must not overlap this VPC or on-prem. Default none. */
    peerVpcCidrs: z.array(cidr).default([]),
    /** Hybrid connectivity to the on-prem data centre. Default: none (cloud only). */
    onPrem: onPremSchema.optional(),
});

const capacitySchema = z
    .strictObject({
        /** Concurrent users the platform must carry today (seed: 1,000). */
        concurrentUsers: positiveInt(1_000_000),
        /** Concurrent users at the end of the growth horizon (seed: 10,000). */
        targetUsers: positiveInt(10_000_000),
        /** Years over which the target is reached. Default 5. */
        growthYears: positiveInt(20).default(5),
    })
    .refine((c) => c.targetUsers >= c.concurrentUsers, { message: "targetUsers at least concurrentUsers", path: ["targetUsers"] });

const dnsSchema = z
    .strictObject({
        /** Public hosted zone that citizens resolve (must already exist or be delegated). */
        zoneName: dnsName,
        /** The citizen portal's hostname, inside zoneName. */
        hostname: dnsName,
    })
    .refine((d) => d.hostname === d.zoneName || d.hostname.endsWith(`.${d.zoneName}`), { message: "a hostname inside zoneName", path: ["hostname"] });

const alertsSchema = z
    .strictObject({
        /** Mailbox subscribed to the alert topic. Default none. */
        email: z.email("an e-mail address").optional(),
        /** PagerDuty (or other) HTTPS events endpoint subscribed to the alert topic. Default none. */
        pagerDutyEndpoint: z.url({ protocol: /^https$/, error: "an https:// URL" }).optional(),
    })
    .refine((a) => a.email !== undefined || a.pagerDutyEndpoint !== undefined, { message: "at least one of email or pagerDutyEndpoint" });

const projectSchema = z.strictObject({
    /** Which composition this stack runs: the primary site or the warm-standby DR site. */
    role: z.enum(["prod", "dr"]),
    /** Production turns on deletion protection, final snapshots and the prod release strategy. Default production. */
    environment: z.enum(["production", "staging", "development"]).default("production"),
    network: networkSchema,
    capacity: capacitySchema,
    dns: dnsSchema,
    alerts: alertsSchema,
    observability: observabilitySchema,
    audit: auditSchema,
    /** The compute layer: EKS, workloads, edge, release strategy, on-prem cluster (model/appConfig.ts). */
    app: appSchema,
    /** Kubeconfig of the on-prem cluster (secret: `pulumi config set --secret`); required when app.onPrem is set. Default none. */
    onPremKubeconfig: z.string().min(1).optional(),
    /** Data tier: PostgreSQL, Redis, documents bucket, optional on-prem object store. Default: every field's default. */
    data: dataSchema.prefault({}),
    /** Secret (`pulumi config set --secret`): password of data.onPremObjectStore.user. Default none; required with an on-prem object store. */
    onPremObjectStorePassword: z.string().min(1).optional(),
    /** Tags added to every taggable resource (cost centre, data classification...). Default none. */
    tags: z.record(z.string().regex(/^[\w .:/=+@-]{1,128}$/, "a tag key"), z.string().max(256)).default({}),
    /** DR site settings (role dr only; required there). See model/drConfig.ts. */
    dr: drSchema.optional(),
    /** DR site mode, role dr only: standby (replica, pilot light) or active (promoted, takes traffic). Default standby. */
    drMode: drModeSchema.optional(),
});

const schema = z
    .strictObject({
        [PROJECT]: projectSchema,
        aws: z.looseObject({ region: z.enum(AWS_REGIONS, "an AWS commercial-partition region such as eu-west-2") }),
    })
    .superRefine((root, ctx) => {
        const cfg = root[PROJECT];
        const net = cfg.network;
        for (const issue of dataIssues(cfg, root.aws.region)) ctx.addIssue({ code: "custom", path: [PROJECT, ...issue.path], message: issue.message });
        if (cfg.role === "prod" && net.azCount < 3) {
            ctx.addIssue({ code: "custom", path: [PROJECT, "network", "azCount"], message: "at least 3 for the prod role (seed 2: a failed AZ must not impact service)" });
        }
        const labelled = [
            { label: "network.vpcCidr", cidr: net.vpcCidr },
            ...(net.peerVpcCidrs ?? []).map((c, i) => ({ label: `network.peerVpcCidrs[${i}]`, cidr: c })),
            ...(net.onPrem?.cidrs ?? []).map((c, i) => ({ label: `network.onPrem.cidrs[${i}]`, cidr: c })),
        ].filter((l) => typeof l.cidr === "string" && parseCidr(l.cidr) !== undefined); // malformed ones are reported by their own check
        checkDrRole(cfg, root.aws.region, ctx, PROJECT);
        if (cfg.app?.onPrem && !cfg.onPremKubeconfig) {
            ctx.addIssue({ code: "custom", path: [PROJECT, "onPremKubeconfig"], message: "the on-prem cluster's kubeconfig as a secret (app.onPrem is set)" });
        }
        const [clash] = findOverlaps(labelled);
        if (clash) {
            ctx.addIssue({
                code: "custom",
                path: [PROJECT, ...keyPath(clash[1])],
                message: `a CIDR that does not overlap ${PROJECT}:${clash[0]} (VPN and replication routing would be ambiguous)`,
            });
        }
    });

export type PlatformConfig = z.infer<typeof projectSchema> & { region: (typeof AWS_REGIONS)[number] };
export type NetworkConfig = PlatformConfig["network"];
export type OnPremConfig = NonNullable<NetworkConfig["onPrem"]>;

/** A configuration problem: `message` is the single line shown to the user. */
export class ConfigError extends Error {
    constructor(
        readonly key: string,
        readonly expected: string,
        readonly received?: string,
    ) {
        super(`invalid config ${key}: expected ${expected}${received === undefined ? "" : `, got ${received}`}`);
        this.name = "ConfigError";
    }
}

/** "network.peerVpcCidrs[0]" -> ["network", "peerVpcCidrs", 0] */
function keyPath(label: string): PropertyKey[] {
    return label.split(/\.|\[|\]/).filter((s) => s !== "").map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/** "hybrid-platform", "network", "onPrem", "cidrs", 1 -> "hybrid-platform:network.onPrem.cidrs[1]" */
function formatKey(path: readonly PropertyKey[]): string {
    const [ns, ...rest] = path.map(String);
    let key = `${ns}:`;
    rest.forEach((part, i) => {
        key += /^\d+$/.test(part) ? `[${part}]` : `${i === 0 ? "" : "."}${part}`;
    });
    return key;
}

/** Turns Pulumi's flat "ns:key" -> string map into { ns: { key: value } }, decoding JSON values as Pulumi does for structured config. */
export function nestConfig(flat: Readonly<Record<string, string>>): Record<string, Record<string, unknown>> {
    const nested: Record<string, Record<string, unknown>> = {};
    for (const [fullKey, raw] of Object.entries(flat)) {
        const sep = fullKey.indexOf(":");
        if (sep < 0) continue;
        const ns = fullKey.slice(0, sep);
        (nested[ns] ??= {})[fullKey.slice(sep + 1)] = decodeValue(raw);
    }
    return nested;
}

function decodeValue(raw: string): unknown {
    const trimmed = raw.trim();
    if (/^[[{]/.test(trimmed) || /^(true|false|null|-?\d+(\.\d+)?([eE][+-]?\d+)?)$/.test(trimmed)) {
        try {
            return JSON.parse(trimmed);
        } catch {
            return raw;
        }
    }
    return raw;
}

/** The keys an object schema accepts at `path` (unwrapping optional/default/refinements). */
function knownKeysAt(path: readonly PropertyKey[]): string[] {
    let node: z.ZodType | undefined = schema;
    for (const part of [...path, null]) {
        while (node && !(node instanceof z.ZodObject)) {
            const def = (node as { def?: { innerType?: z.ZodType; in?: z.ZodType } }).def;
            node = def?.innerType ?? def?.in;
        }
        if (!node) return [];
        if (part === null) return Object.keys(node.shape);
        node = node.shape[String(part)] as z.ZodType | undefined;
    }
    return [];
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
    return path.reduce<unknown>((node, part) => (node !== null && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[part] : undefined), root);
}

function describeExpected(issue: z.core.$ZodIssue, received: unknown): string {
    switch (issue.code) {
        case "invalid_type":
            return issue.expected === "object" ? "a map of settings" : issue.expected === "array" ? "a list" : `a ${issue.expected}`;
        case "too_small":
            return issue.origin === "array" ? `at least ${issue.minimum} item(s)` : `a value >= ${issue.minimum}`;
        case "too_big":
            return issue.origin === "array" ? `at most ${issue.maximum} item(s)` : `a value <= ${issue.maximum}`;
        case "invalid_value": {
            const hint = typeof received === "string" ? didYouMean(received, issue.values.map(String)) : undefined;
            if (hint) return `one of the ${issue.values.length} accepted values (did you mean "${hint}"?)`;
            return issue.values.length <= 6 ? `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` : issue.message;
        }
        default:
            return issue.message;
    }
}

/**
 * Validates the flat Pulumi config map and returns the typed configuration.
 * Throws ConfigError (one line, naming the key) on the first problem.
 */
export function loadConfig(flat: Readonly<Record<string, string>>): PlatformConfig {
    const nested = nestConfig(flat);
    const input = { [PROJECT]: nested[PROJECT] ?? {}, aws: nested.aws ?? {} };
    const result = schema.safeParse(input);
    if (result.success) {
        return { ...result.data[PROJECT], region: result.data.aws.region };
    }
    // A misspelt key also shows up as a missing one: report the misspelling first.
    const issues = [...result.error.issues].sort((a, b) => Number(b.code === "unrecognized_keys") - Number(a.code === "unrecognized_keys"));
    const issue = issues[0];
    if (issue.code === "unrecognized_keys") {
        const unknown = issue.keys[0];
        const hint = didYouMean(unknown, knownKeysAt(issue.path));
        throw new ConfigError(formatKey([...issue.path, unknown]), hint ? `a known key (did you mean "${hint}"?)` : `one of the known keys: ${knownKeysAt(issue.path).join(", ")}`, "an unknown key");
    }
    const received = valueAt(input, issue.path);
    throw new ConfigError(formatKey(issue.path), describeExpected(issue, received), describeReceived(issue, received));
}

/** What the stack file held; a number where text is expected is usually an unquoted version that YAML read as a number. */
function describeReceived(issue: z.core.$ZodIssue, received: unknown): string {
    if (received === undefined) return "nothing";
    const wantsText = (issue.code === "invalid_type" && issue.expected === "string") || (issue.code === "invalid_value" && issue.values.every((v) => typeof v === "string"));
    if (typeof received === "number" && wantsText) return `the number ${received} (quote it in the stack file: YAML reads an unquoted 1.30 as the number 1.3)`;
    return JSON.stringify(received);
}
