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
import { contains, findOverlaps, isIpv4Address, isPublicIpv4, parseCidr } from "./cidr";
import { checkDrRole, drModeSchema, drSchema } from "./drConfig";
import { AWS_REGIONS } from "./regions";
import { auditSchema } from "./auditConfig";
import { observabilitySchema } from "./observabilityConfig";
import { LOG_RETENTION_DAYS } from "./retention";
import { dataIssues, dataSchema } from "./dataConfig";
import { DEFAULTS } from "./defaults";
import { didYouMean } from "./suggest";
import { ciSchema } from "./ciConfig";
import { onPremHostIssues, onPremHostsSchema } from "./onPremHosts";

export const PROJECT = "hybrid-platform";

export { AWS_REGIONS };

export { LOG_RETENTION_DAYS } from "./retention";

export { didYouMean } from "./suggest";

const cidr = z.string().refine((v) => parseCidr(v) !== undefined, "an IPv4 CIDR such as 10.10.0.0/16, host bits zero");
const vpcCidr = cidr.refine((v) => {
    const prefix = parseCidr(v)?.prefix ?? 0;
    return prefix >= 16 && prefix <= 20;
}, "an IPv4 CIDR from /16 to /20 (room for three tiers in every AZ)");
const dnsName = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "a lower-case DNS name such as portal.gov.example");
const positiveInt = (max: number) => z.number().int().min(1).max(max);

const onPremDnsSchema = z
    .strictObject({
        domains: z
            .array(dnsName)
            .min(1)
            .refine((ds) => new Set(ds).size === ds.length, "each domain once (one forwarding rule per domain)")
            .meta({
                description:
                    "On-prem DNS domains the VPC forwards to the data centre's DNS servers (one Route 53 Resolver rule each), such as dc1.example.internal: every on-prem name the stack uses (the MinIO endpoint) must be under one.",
                see: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-outbound-queries.html",
            }),
        serverAddresses: z
            .array(z.string().refine(isIpv4Address, "an IPv4 address"))
            .min(1)
            .refine((a) => new Set(a).size === a.length, "each address once")
            .meta({
                description:
                    "IPv4 addresses of the on-prem DNS servers that answer for those domains, inside network.onPrem.cidrs (the only prefixes routed over the VPN); give two, so that one server down does not stop resolution.",
            }),
    })
    .meta({
        description:
            "Resolve the on-prem domains from the VPC: a Route 53 Resolver outbound endpoint (an address in each private subnet) and a forwarding rule per domain. None: the VPC resolves AWS and public names only.",
        see: "https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-outbound-queries.html",
    });

const onPremSchema = z
    .strictObject({
        cidrs: z.array(cidr).min(1).meta({
            description: "On-prem networks routed over the VPN (application VLANs, data VLANs, DMZ). At least one; must not overlap the VPC or the peer VPCs.",
        }),
        vpnPeerAddress: z
            .string()
            .refine(isPublicIpv4, "a public IPv4 address (the on-prem VPN device's outside interface)")
            .meta({ description: "Public IPv4 address of the on-prem VPN device's outside interface (the customer gateway)." }),
        bgpAsn: z
            .number()
            .int()
            .refine((n) => (n >= 64512 && n <= 65534) || (n >= 4200000000 && n <= 4294967294), "a private BGP ASN (64512-65534 or 4200000000-4294967294)")
            .meta({ description: "BGP ASN of the on-prem router: a private ASN (64512-65534 or 4200000000-4294967294)." }),
        staticRoutesOnly: z
            .boolean()
            .default(DEFAULTS.network.onPrem.staticRoutesOnly)
            .meta({ description: "Static routes instead of BGP on the VPN tunnels (BGP fails over between the tunnels without manual routes)." }),
        directConnectGatewayId: z
            .string()
            .regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, "a Direct Connect gateway id (a UUID)")
            .optional()
            .meta({
                description: "Existing Direct Connect gateway (a UUID) to associate with the VPN gateway. None: VPN only.",
                see: "https://docs.aws.amazon.com/directconnect/latest/UserGuide/direct-connect-gateways-intro.html",
            }),
        dns: onPremDnsSchema.optional(),
    })
    .meta({ description: "Hybrid connectivity to the on-prem data centre: a site-to-site VPN (two IKEv2 tunnels). None: cloud only." });

const networkSchema = z
    .strictObject({
        vpcCidr: vpcCidr.meta({ description: "The VPC's IPv4 CIDR, /16 to /20, host bits zero (room for three tiers in every AZ)." }),
        azCount: z
            .number()
            .int()
            .min(2)
            .max(6)
            .default(DEFAULTS.network.azCount)
            .meta({ description: "Availability zones every tier spans; the prod role needs at least 3 (seed 2)." }),
        singleNatGateway: z.boolean().default(DEFAULTS.network.singleNatGateway).meta({
            description: "Opt-out: one shared NAT gateway instead of one per AZ (an AZ outage then cuts egress); reported by the policy nat-gateway-per-az.",
        }),
        flowLogRetentionDays: z
            .number()
            .int()
            .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), `one of CloudWatch's retention values (${LOG_RETENTION_DAYS.join(", ")})`)
            .default(DEFAULTS.network.flowLogRetentionDays)
            .meta({
                description: "Days VPC flow logs (and VPN tunnel logs) stay in CloudWatch: one of CloudWatch's retention values.",
                see: "https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
            }),
        peerVpcCidrs: z
            .array(cidr)
            .default(DEFAULTS.network.peerVpcCidrs)
            .meta({ description: "CIDRs of this project's other VPCs (the DR or primary region); must not overlap this VPC or on-prem." }),
        onPrem: onPremSchema.optional(),
    })
    .meta({ description: "The VPC: CIDR, AZs, NAT gateways, flow logs and the on-prem link." });

const capacitySchema = z
    .strictObject({
        concurrentUsers: positiveInt(1_000_000).meta({ description: "Concurrent users the platform must carry today (seed: 1,000)." }),
        targetUsers: positiveInt(10_000_000).meta({
            description: "Concurrent users at the end of the growth horizon (seed: 10,000); at least concurrentUsers.",
        }),
        growthYears: positiveInt(20)
            .default(DEFAULTS.capacity.growthYears)
            .meta({ description: "Years over which targetUsers is reached; also sets the database's storage ceiling." }),
    })
    .refine((c) => c.targetUsers >= c.concurrentUsers, { message: "targetUsers at least concurrentUsers", path: ["targetUsers"] })
    .meta({ description: "Load the capacity model sizes pods, nodes and storage for (seed 7)." });

export const dnsSchema = z
    .strictObject({
        zoneName: dnsName.meta({ description: "Public Route53 hosted zone that citizens resolve (must already exist or be delegated)." }),
        hostname: dnsName.meta({ description: "The citizen portal's hostname, inside zoneName." }),
    })
    .refine((d) => d.hostname === d.zoneName || d.hostname.endsWith(`.${d.zoneName}`), { message: "a hostname inside zoneName", path: ["hostname"] })
    .meta({ description: "Public DNS of the portal." });

const alertsSchema = z
    .strictObject({
        email: z.email("an e-mail address").optional().meta({ description: "Mailbox subscribed to the alert topic." }),
        pagerDutyEndpoint: z
            .url({ protocol: /^https$/, error: "an https:// URL" })
            .optional()
            .meta({ description: "PagerDuty (or other) HTTPS events endpoint subscribed to the alert topic." }),
    })
    .refine((a) => a.email !== undefined || a.pagerDutyEndpoint !== undefined, { message: "at least one of email or pagerDutyEndpoint" })
    .meta({ description: "Where alarms go: at least one of email or pagerDutyEndpoint." });

const projectSchema = z.strictObject({
    role: z.enum(["prod", "dr"]).meta({
        description:
            "Which composition this stack runs: prod (the primary site) or dr (the warm-standby DR site). A role bootstrap stack (one per account, first) has its own keys: model/bootstrapConfig.ts.",
    }),
    environment: z
        .enum(["production", "staging", "development"])
        .default(DEFAULTS.environment)
        .meta({ description: "production turns on deletion protection, final snapshots and the canary release strategy." }),
    network: networkSchema,
    capacity: capacitySchema,
    dns: dnsSchema,
    alerts: alertsSchema,
    observability: observabilitySchema,
    audit: auditSchema,
    app: appSchema,
    onPremKubeconfig: z
        .string()
        .min(1)
        .optional()
        .meta({ description: "Secret (`pulumi config set --secret`): kubeconfig of the on-prem cluster; required when app.onPrem is set." }),
    data: dataSchema.prefault({}),
    onPremObjectStorePassword: z
        .string()
        .min(1)
        .optional()
        .meta({ description: "Secret (`pulumi config set --secret`): password of data.onPremObjectStore.user; required with an on-prem object store." }),
    tags: z
        .record(z.string().regex(/^[\w .:/=+@-]{1,128}$/, "a tag key"), z.string().max(256))
        .default(DEFAULTS.tags)
        .meta({ description: "Tags added to every taggable resource (cost centre, data classification...), beside project, stack, role and environment." }),
    dr: drSchema.optional(),
    drMode: drModeSchema.optional(),
    ci: ciSchema.optional(),
    bootstrapStack: z
        .string()
        .regex(/^([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/)?[A-Za-z0-9_.-]+$/, 'a stack name such as "bootstrap" or "org/hybrid-platform/bootstrap"')
        .default(DEFAULTS.bootstrapStack)
        .meta({
            description:
                "The account's bootstrap stack (role bootstrap, deployed first), read through a StackReference: its ECR repositories, service-linked roles and CI roles.",
        }),
    // issue #16: the on-prem hosts Ansible configures (model/onPremHosts.ts).
    onPrem: onPremHostsSchema.optional(),
});

/** The whole stack configuration: the project's namespace and `aws:region`. The README's configuration table is generated from it (`npm run docs`). */
export const configSchema = z
    .strictObject({
        [PROJECT]: projectSchema,
        aws: z.looseObject({
            region: z
                .enum(AWS_REGIONS, "an AWS commercial-partition region such as eu-west-2")
                .meta({ description: "Region of the stack: an AWS commercial-partition region (GovCloud and China are other partitions)." }),
        }),
    })
    .superRefine((root, ctx) => {
        const cfg = root[PROJECT];
        const net = cfg.network;
        for (const issue of dataIssues(cfg, root.aws.region)) ctx.addIssue({ code: "custom", path: [PROJECT, ...issue.path], message: issue.message });
        if (cfg.role === "prod" && net.azCount < 3) {
            ctx.addIssue({
                code: "custom",
                path: [PROJECT, "network", "azCount"],
                message: "at least 3 for the prod role (seed 2: a failed AZ must not impact service)",
            });
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
        // The private route tables route only network.onPrem.cidrs to the VPN gateway: a DNS server outside them is unreachable.
        (net.onPrem?.dns?.serverAddresses ?? []).forEach((ip, i) => {
            const host = parseCidr(`${ip}/32`);
            const routed = (net.onPrem?.cidrs ?? []).map(parseCidr).some((c) => c !== undefined && host !== undefined && contains(c, host));
            if (host && !routed)
                ctx.addIssue({
                    code: "custom",
                    path: [PROJECT, "network", "onPrem", "dns", "serverAddresses", i],
                    message: "an address inside network.onPrem.cidrs (only those are routed over the VPN)",
                });
        });
        // issue #16: after the network's own checks, which say more when the VLANs themselves are wrong.
        for (const issue of onPremHostIssues(cfg.onPrem, net.onPrem?.cidrs))
            ctx.addIssue({ code: "custom", path: [PROJECT, ...issue.path], message: issue.message });
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
    return label
        .split(/\.|\[|\]/)
        .filter((s) => s !== "")
        .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
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
function knownKeysAt(path: readonly PropertyKey[], schema: z.ZodType = configSchema): string[] {
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

/**
 * YAML reads an unquoted `1.30` as the number 1.3 (and `16.10` as 16.1): when a string was expected
 * and a number arrived, say so, or the user sees "got 1.3" and hunts for a typo that is not there.
 */
function describeExpected(issue: z.core.$ZodIssue, received: unknown): string {
    const expected = describeIssue(issue, received);
    const wantedString =
        (issue.code === "invalid_type" && issue.expected === "string") || (issue.code === "invalid_value" && issue.values.every((v) => typeof v === "string"));
    return typeof received === "number" && wantedString ? `${expected}, in quotes (YAML reads an unquoted 1.30 as the number 1.3)` : expected;
}

function describeIssue(issue: z.core.$ZodIssue, received: unknown): string {
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
    const result = configSchema.safeParse(input);
    if (result.success) {
        return { ...result.data[PROJECT], region: result.data.aws.region };
    }
    throw configErrorOf(configSchema, input, result.error);
}

/**
 * The one-line error of a failed parse of `schema` (the prod/dr schema, or a bootstrap stack's): a misspelt key
 * first, with a did-you-mean from the keys the schema knows there; else the first issue, in plain words.
 */
export function configErrorOf(schema: z.ZodType, input: unknown, error: z.ZodError): ConfigError {
    // A misspelt key also shows up as a missing one: report the misspelling first.
    const issues = [...error.issues].sort((a, b) => Number(b.code === "unrecognized_keys") - Number(a.code === "unrecognized_keys"));
    const issue = issues[0];
    if (issue.code === "unrecognized_keys") {
        const unknown = issue.keys[0];
        const known = knownKeysAt(issue.path, schema);
        const hint = didYouMean(unknown, known);
        return new ConfigError(
            formatKey([...issue.path, unknown]),
            hint ? `a known key (did you mean "${hint}"?)` : `one of the known keys: ${known.join(", ")}`,
            "an unknown key",
        );
    }
    const received = valueAt(input, issue.path);
    return new ConfigError(formatKey(issue.path), describeExpected(issue, received), describeReceived(received));
}

function describeReceived(received: unknown): string {
    return received === undefined ? "nothing" : JSON.stringify(received);
}
