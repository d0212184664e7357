/**
 * Log shipping (issue #13 item 2, seed 6 "ELK logs"): what Fluent Bit runs on each cluster, as pure data and text,
 * so that every claim is tested without mocks. Container logs from /var/log/containers (the portal's own namespace
 * parsed as JSON, every other namespace as it comes), the node's journald units (kubelet, containerd), shipped to
 * CloudWatch Logs groups that Pulumi creates (never the shipper) and to the OpenSearch domain with SigV4.
 * @see https://docs.fluentbit.io/manual/pipeline/outputs/cloudwatch
 * @see https://docs.fluentbit.io/manual/pipeline/outputs/opensearch
 */
import { Statement, allow } from "./iam";
import { NamedNetworkPolicy, denyAllButDns } from "./networkPolicies";
import { APP_NAMESPACE, HTTPS_PORT } from "./ports";
import { stackLogGroupName } from "./names";

/** Its own namespace, so the portal's default-deny stays the portal's, and the shipper's allow-list is its own. */
export const LOGGING_NAMESPACE = "logging";
/** The chart's service account name (fullnameOverride), the subject of the IRSA trust. */
export const SHIPPER_NAME = "fluent-bit";
/** The label the fluent-bit chart puts on its pods (its selectorLabels). */
export const SHIPPER_POD_LABELS = { "app.kubernetes.io/name": SHIPPER_NAME } as const;

/** Where a shipper runs: EKS, or the on-prem cluster (credentials through IAM Roles Anywhere). */
export type ShipperSite = "eks" | "onprem";
export const SHIPPER_SITES: readonly ShipperSite[] = ["eks", "onprem"];

/** The three streams of one cluster: the portal's application logs, every other container, the node's journald. */
export type LogStreamKind = "application" | "platform" | "host";
export const LOG_STREAM_KINDS: readonly LogStreamKind[] = ["application", "platform", "host"];

/** The journald units shipped from each node: what explains a node or pod that will not start. */
export const JOURNALD_UNITS = ["kubelet.service", "containerd.service"] as const;

/** CloudWatch Logs group of one stream of one site: /hybrid-platform/<stack>/logs/<site>/<kind>. */
export function shipperLogGroupName(stack: string, site: ShipperSite, kind: LogStreamKind): string {
    return stackLogGroupName(stack, "logs", site, kind);
}

/** Fluent Bit tag prefixes: one tail input per stream, so each output matches its own. */
const TAGS: Record<LogStreamKind, string> = { application: "app", platform: "kube", host: "host" };

export interface FluentBitInput {
    readonly region: string;
    readonly site: ShipperSite;
    /** CloudWatch Logs group names by stream (created by Pulumi with the CMK and the retention). */
    readonly logGroups: Readonly<Record<LogStreamKind, string>>;
    /**
     * CloudWatch Logs API host, when not the regional default (on-prem: the interface endpoint's own DNS name, which
     * resolves to its private addresses from anywhere). @default logs.<region>.amazonaws.com (private DNS in the VPC)
     */
    readonly logsEndpoint?: string;
    /** The OpenSearch domain: its VPC endpoint host (no scheme) and the index prefix. @default none (CloudWatch only) */
    readonly openSearch?: { readonly host: string; readonly indexPrefix: string };
    /** The portal's namespace, whose logs are JSON. @default APP_NAMESPACE */
    readonly portalNamespace?: string;
}

/** Fluent Bit's classic-mode sections, as the fluent-bit chart's `config` values take them. */
export interface FluentBitConfig {
    readonly inputs: string;
    readonly filters: string;
    readonly outputs: string;
    readonly customParsers: string;
}

/** One classic-mode section: `[NAME]` then indented `Key Value` lines, in order. */
export function section(name: string, entries: readonly (readonly [string, string])[]): string {
    const width = Math.max(...entries.map(([k]) => k.length));
    return [`[${name}]`, ...entries.map(([k, v]) => `    ${k.padEnd(width)} ${v}`)].join("\n");
}

/** The Fluent Bit index prefix of a site (indices are `<prefix>-<site>-YYYY.MM.DD`). */
export const siteIndexPrefix = (indexPrefix: string, site: ShipperSite) => `${indexPrefix}-${site}`;

/** Fluent Bit's configuration for one cluster. Pure: the same input gives the same text. */
export function fluentBitConfig(input: FluentBitInput): FluentBitConfig {
    const portal = input.portalNamespace ?? APP_NAMESPACE;
    // Container log files are <pod>_<namespace>_<container>-<id>.log: the portal's are picked by their namespace.
    const portalFiles = `/var/log/containers/*_${portal}_*.log`;
    const tail = (kind: LogStreamKind, path: string, exclude?: string) =>
        section("INPUT", [
            ["Name", "tail"],
            ["Tag", `${TAGS[kind]}.*`],
            ["Path", path],
            ...(exclude ? [["Exclude_Path", exclude] as const] : []),
            ["multiline.parser", "docker, cri"],
            // Offsets survive a restart of the pod (the hostPath /var/log is the node's).
            ["DB", `/var/log/fluent-bit-${kind}.db`],
            ["Mem_Buf_Limit", "50MB"],
            ["Skip_Long_Lines", "On"],
        ]);
    const inputs = [
        tail("application", portalFiles),
        tail("platform", "/var/log/containers/*.log", portalFiles),
        section("INPUT", [
            ["Name", "systemd"],
            ["Tag", `${TAGS.host}.*`],
            ["Path", "/var/log/journal"],
            // Several Systemd_Filter lines are ORed (Systemd_Filter_Type defaults to Or).
            ...JOURNALD_UNITS.map((unit) => ["Systemd_Filter", `_SYSTEMD_UNIT=${unit}`] as const),
            ["DB", "/var/log/fluent-bit-journal.db"],
            ["Read_From_Tail", "On"],
            ["Strip_Underscores", "On"],
        ]),
    ];
    const kubernetes = (kind: LogStreamKind) =>
        section("FILTER", [
            ["Name", "kubernetes"],
            ["Match", `${TAGS[kind]}.*`],
            ["Kube_Tag_Prefix", `${TAGS[kind]}.var.log.containers.`],
            // The JSON of the portal is parsed by the filter below, under its own parser; nothing else is guessed at.
            ["Merge_Log", "Off"],
            ["Keep_Log", "On"],
            ["K8S-Logging.Parser", "Off"],
            ["K8S-Logging.Exclude", "Off"],
            ["Labels", "On"],
            ["Annotations", "Off"],
        ]);
    const filters = [
        kubernetes("application"),
        kubernetes("platform"),
        // Django, FastAPI and Celery log one JSON object a line (structured logging): its fields become the record's.
        section("FILTER", [
            ["Name", "parser"],
            ["Match", `${TAGS.application}.*`],
            ["Key_Name", "log"],
            ["Parser", "portal_json"],
            ["Reserve_Data", "On"],
            ["Preserve_Key", "Off"],
        ]),
    ];
    const cloudwatch = (kind: LogStreamKind) =>
        section("OUTPUT", [
            ["Name", "cloudwatch_logs"],
            ["Match", `${TAGS[kind]}.*`],
            ["region", input.region],
            ["log_group_name", input.logGroups[kind]],
            ["log_stream_prefix", `${input.site}-`],
            // The groups are Pulumi's (CMK, retention): a shipper that created its own would write unencrypted, forever.
            ["auto_create_group", "Off"],
            ...(input.logsEndpoint ? [["endpoint", input.logsEndpoint] as const] : []),
            ["Retry_Limit", "10"],
        ]);
    const outputs = [
        ...LOG_STREAM_KINDS.map(cloudwatch),
        ...(input.openSearch
            ? [
                  section("OUTPUT", [
                      ["Name", "opensearch"],
                      ["Match_Regex", "^(app|kube|host)\\..*"],
                      ["Host", input.openSearch.host],
                      ["Port", String(HTTPS_PORT)],
                      ["tls", "On"],
                      ["tls.verify", "On"],
                      // SigV4 with the pod's role: the domain's fine-grained access control maps that role (backend role).
                      ["AWS_Auth", "On"],
                      ["AWS_Region", input.region],
                      ["Logstash_Format", "On"],
                      ["Logstash_Prefix", siteIndexPrefix(input.openSearch.indexPrefix, input.site)],
                      // OpenSearch 2.x has no mapping types: the _type field is refused.
                      ["Suppress_Type_Name", "On"],
                      ["Replace_Dots", "On"],
                      ["Trace_Error", "On"],
                      ["Retry_Limit", "10"],
                  ]),
              ]
            : []),
    ];
    const customParsers = section("PARSER", [
        ["Name", "portal_json"],
        ["Format", "json"],
    ]);
    return { inputs: inputs.join("\n\n"), filters: filters.join("\n\n"), outputs: outputs.join("\n\n"), customParsers };
}

/**
 * The shipper role's CloudWatch Logs actions: streams and events in its own groups, never a group of its own.
 * CreateLogStream and DescribeLogStreams take the log-group resource, PutLogEvents the log-stream one.
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/permissions-reference-cwl.html
 */
export const SHIPPER_LOGS_ACTIONS = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"] as const;
/** Fluent Bit's opensearch output posts _bulk; PUT for index creation by name. */
export const SHIPPER_SEARCH_ACTIONS = ["es:ESHttpPost", "es:ESHttpPut"] as const;

/** The shipper role's statements: exactly its log groups (and their streams) and the domain's HTTP API. */
export function shipperStatements(logGroupArns: readonly string[], domainArn?: string): Statement[] {
    return [
        allow(
            "ShipToOwnLogGroups",
            [...SHIPPER_LOGS_ACTIONS],
            logGroupArns.flatMap((arn) => [arn, `${arn}:log-stream:*`]),
        ),
        ...(domainArn ? [allow("ShipToLogSearch", [...SHIPPER_SEARCH_ACTIONS], `${domainArn}/*`)] : []),
    ];
}

/** Where a shipper may connect (besides DNS): HTTPS to these blocks only. */
export interface ShipperEgress {
    /** Every block holding an address the shipper calls on 443: the interface endpoints, the domain's subnets, the cluster API. */
    readonly httpsCidrs: readonly string[];
    /** EKS: CoreDNS in kube-system; on-prem: any namespace's port 53 (OpenShift/Rancher label their DNS differently). */
    readonly site: ShipperSite;
}

/**
 * The logging namespace's NetworkPolicies: default deny both ways, DNS, HTTPS to the named blocks. No ingress: nothing
 * calls the shipper (its metrics port is not scraped across namespaces until a collector asks for it).
 */
export function shipperNetworkPolicies(egress: ShipperEgress): NamedNetworkPolicy[] {
    return [
        ...denyAllButDns(egress.site === "eks"),
        {
            name: "allow-shipper-https",
            spec: {
                podSelector: { matchLabels: { ...SHIPPER_POD_LABELS } },
                policyTypes: ["Egress"],
                egress: [{ to: egress.httpsCidrs.map((cidr) => ({ ipBlock: { cidr } })), ports: [{ protocol: "TCP", port: HTTPS_PORT }] }],
            },
        },
    ];
}

/** The AWS config profile an on-prem shipper reads: credentials from IAM Roles Anywhere through AWS's signing helper. */
export interface RolesAnywhereProfile {
    readonly region: string;
    readonly trustAnchorArn: string;
    readonly profileArn: string;
    readonly roleArn: string;
    /** On the node (installed with the node's certificate by the site, issue #16): the helper, the certificate, its key. */
    readonly helperPath: string;
    readonly certificatePath: string;
    readonly privateKeyPath: string;
}

/**
 * `~/.aws/config` with a `credential_process` (Fluent Bit's profile provider runs it): aws_signing_helper exchanges the
 * node's X.509 certificate for the role's temporary credentials.
 * @see https://docs.aws.amazon.com/rolesanywhere/latest/userguide/credential-helper.html
 */
export function rolesAnywhereConfig(p: RolesAnywhereProfile): string {
    const helper = [
        p.helperPath,
        "credential-process",
        `--certificate ${p.certificatePath}`,
        `--private-key ${p.privateKeyPath}`,
        `--trust-anchor-arn ${p.trustAnchorArn}`,
        `--profile-arn ${p.profileArn}`,
        `--role-arn ${p.roleArn}`,
    ].join(" ");
    return ["[default]", `region = ${p.region}`, `credential_process = ${helper}`, ""].join("\n");
}
