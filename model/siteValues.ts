/**
 * Site values: the configuration only the site can supply (addresses, keys, secrets, repositories,
 * digests), declared once. The stack files carry each one as a **marked example** (a `SITE VALUE`
 * comment above it, never fake ciphertext), so the offline plan runs as committed; a real
 * `pulumi preview/up` with any still at its example stops before anything is created (index.ts),
 * with one line naming each key and the command that sets it. `npm run plan` lists the ones still
 * at their example, and writes them to the plan JSON as `siteValues: [{ key, example, why }]`.
 *
 * Pure: works on the flat "namespace:key" -> string map Pulumi hands a program.
 */
import * as ipaddr from "ipaddr.js";
import { nestConfig } from "./config";

/** The stack roles a site value can belong to (bootstrap: the per-account stack, Pulumi.bootstrap.yaml). */
export type SiteRole = "bootstrap" | "prod" | "dr";

export interface SiteValue {
    /** Full config key, "hybrid-platform:network.onPrem.vpnPeerAddress" (namespace, then the --path). */
    readonly key: string;
    /** The marked example each stack file carries, by role; only the roles listed here have this value. */
    readonly examples: Partial<Record<SiteRole, string>>;
    /** What breaks on AWS (or silently does not work) while the example is left in place. */
    readonly why: string;
    /** How the value is set: `pulumi config set [--secret] [--path] <key> <what>` (run with `--stack <stack>`). */
    readonly set: string;
    /** Values AWS refuses or that can never work even though they are not the example (e.g. any RFC 5737 address). */
    readonly unusable?: (value: string) => boolean;
}

/** A site value of one stack as the plan JSON writes it. */
export interface PendingSiteValue {
    readonly key: string;
    readonly example: string;
    readonly why: string;
}

/**
 * RFC 5735 special-use IPv4 addresses (documentation nets, private, loopback, CGNAT of RFC 6598...):
 * Route 53 cannot health-check them and no VPN device on the internet has one.
 * @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_HealthCheckConfig.html (IPAddress: "Constraints")
 */
export function isSpecialUseIpv4(text: string): boolean {
    if (!ipaddr.IPv4.isValidFourPartDecimal(text)) return false;
    return ipaddr.IPv4.parse(text).range() !== "unicast";
}

/**
 * A PagerDuty events URL whose integration key is not one (PagerDuty's keys are 32 letters and digits): PagerDuty
 * never confirms the SNS subscription, so `pulumi up` waits for it and fails. Other HTTPS endpoints are not judged.
 */
export function isMalformedPagerDutyUrl(text: string): boolean {
    const match = /^https:\/\/events\.pagerduty\.com\/integration\/([^/]+)\/enqueue$/.exec(text);
    return match !== null && !/^[A-Za-z0-9]{32}$/.test(match[1]);
}

/** The placeholder self-signed CA committed in Pulumi.prod.yaml (CN "Citizen Portal On-Prem Sync CA (placeholder)"). */
const PLACEHOLDER_SYNC_CA = [
    "-----BEGIN CERTIFICATE-----",
    "MIIB5zCCAY2gAwIBAgIUTbha3rHCBey3S3PsY7YolzefkCQwCgYIKoZIzj0EAwIw",
    "STE1MDMGA1UEAwwsQ2l0aXplbiBQb3J0YWwgT24tUHJlbSBTeW5jIENBIChwbGFj",
    "ZWhvbGRlcikxEDAOBgNVBAoMB2V4YW1wbGUwHhcNMjYxMTI1MDEyNDE3WhcNMzYx",
    "MTIyMDEyNDE3WjBJMTUwMwYDVQQDDCxDaXRpemVuIFBvcnRhbCBPbi1QcmVtIFN5",
    "bmMgQ0EgKHBsYWNlaG9sZGVyKTEQMA4GA1UECgwHZXhhbXBsZTBZMBMGByqGSM49",
    "AgEGCCqGSM49AwEHA0IABBrDtSGI1Zs4oMQqq5kp7Mq58pC09LMMgaEBYEatXoUF",
    "eqcIjX/zn9cW8UMsfcbjx68H7jKaGio3/iRoLjV1IMujUzBRMB0GA1UdDgQWBBQU",
    "D/IRCVBeHK7llOeb/zKhfB4iejAfBgNVHSMEGDAWgBQUD/IRCVBeHK7llOeb/zKh",
    "fB4iejAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gAMEUCIQCzqhLSRyS/",
    "UMO5vHi//vtGZFgS6/fRIjUSSQnVjcsDvgIgJctAz11X3wvWnHqGwGyB5DBhl6pS",
    "pdnyk0meCUJiFxQ=",
    "-----END CERTIFICATE-----",
    "",
].join("\n");

/** The example digest of each workload image in the stack files (pushed after bootstrap, before prod: README "First deploy of a new account"). */
export const EXAMPLE_IMAGE_DIGESTS = {
    djangoWeb: `sha256:${"0".repeat(63)}1`,
    fastapiApi: `sha256:${"0".repeat(63)}2`,
    celeryWorker: `sha256:${"0".repeat(63)}3`,
} as const;

const imageDigest = (image: keyof typeof EXAMPLE_IMAGE_DIGESTS): SiteValue => ({
    key: `hybrid-platform:app.images.${image}.digest`,
    examples: { prod: EXAMPLE_IMAGE_DIGESTS[image], dr: EXAMPLE_IMAGE_DIGESTS[image] },
    why: "the Deployments pull this digest from the bootstrap's ECR repository: one that was never pushed never becomes ready (the Kubernetes provider fails after 10 min)",
    set: `pulumi config set --path app.images.${image}.digest "$(aws ecr describe-images --repository-name <${image} repository> --image-ids imageTag=<release> --query 'imageDetails[0].imageDigest' --output text)"`,
});

/** The example hosts of Pulumi.prod.yaml (onPrem.hosts): private addresses inside the example VLANs, so the config check passes; a real deploy stops on them. */
const EXAMPLE_ON_PREM_HOSTS = {
    dmz_lb: [
        { name: "dmz-lb-1", address: "172.16.32.11", vlan: "dmz" },
        { name: "dmz-lb-2", address: "172.16.32.12", vlan: "dmz" },
    ],
    api_gateway: [
        { name: "api-gw-1", address: "172.16.32.21", vlan: "dmz" },
        { name: "api-gw-2", address: "172.16.32.22", vlan: "dmz" },
    ],
    k8s_nodes: [
        { name: "k8s-1", address: "172.16.1.11", vlan: "application" },
        { name: "k8s-2", address: "172.16.1.12", vlan: "application" },
        { name: "k8s-3", address: "172.16.1.13", vlan: "application" },
    ],
    object_store: [{ name: "minio-1", address: "172.16.16.11", vlan: "data" }],
};

/** Every site value, in the order the first deploy sets them (README "First deploy of a new account"). */
export const SITE_VALUES: readonly SiteValue[] = [
    {
        key: "hybrid-platform:ci.githubRepository",
        // The bootstrap stack names its repository in delivery since issue #14 (ci.githubRepository there is deprecated).
        examples: { prod: "example-org/hybrid-platform", dr: "example-org/hybrid-platform" },
        why: "the CI roles trust GitHub OIDC tokens of this repository only, and the in-VPC deploy runner takes its jobs: an example repository runs nothing",
        set: "pulumi config set --path ci.githubRepository <owner>/<repo>",
    },
    {
        key: "hybrid-platform:delivery.githubOrganisation",
        examples: { bootstrap: "example-org" },
        why: "every delivery role (preview, deploy, image push, drill) trusts GitHub OIDC tokens of this organisation's repositories only: with the example, no workflow can assume any of them",
        set: "pulumi config set --path delivery.githubOrganisation <org> (and delivery.repository <repo>)",
    },
    imageDigest("djangoWeb"),
    imageDigest("fastapiApi"),
    imageDigest("celeryWorker"),
    {
        key: "hybrid-platform:network.onPrem.vpnPeerAddress",
        examples: { prod: "203.0.113.10", dr: "203.0.113.10" },
        why: "the customer gateway: AWS builds both VPN tunnels to this address, and an RFC 5737 documentation address never answers IKE, so on-prem (MinIO, the on-prem cluster, the runner's route there) stays unreachable",
        set: "pulumi config set --path network.onPrem.vpnPeerAddress <public IPv4 of the on-prem VPN device>",
        unusable: isSpecialUseIpv4,
    },
    {
        key: "hybrid-platform:network.onPrem.dns.domains",
        examples: { prod: JSON.stringify(["dc1.citizen-portal.internal"]) },
        why: "the VPC forwards only these domains to the on-prem DNS servers: a name of the data centre under none of them (the MinIO endpoint) does not resolve from the runner or the pods",
        set: "pulumi config set --path 'network.onPrem.dns.domains[0]' <on-prem DNS domain of the MinIO endpoint>",
    },
    {
        key: "hybrid-platform:network.onPrem.dns.serverAddresses",
        examples: { prod: JSON.stringify(["172.16.0.10", "172.16.0.11"]) },
        why: "the Resolver outbound endpoint forwards the on-prem domains to these addresses: an address where no DNS server answers times every on-prem lookup out (the MinIO provider fails on DNS)",
        set: "pulumi config set --path 'network.onPrem.dns.serverAddresses[<n>]' <IPv4 of on-prem DNS server n: one command per server, from 0>",
    },
    {
        key: "hybrid-platform:dr.gslb.onPrem.address",
        examples: { dr: "203.0.113.20" },
        why: "Route 53 refuses to health-check special-use addresses (RFC 5735, API_HealthCheckConfig IPAddress constraints): CreateHealthCheck fails",
        set: "pulumi config set --path dr.gslb.onPrem.address <public IPv4 of the on-prem DMZ load balancer>",
        unusable: isSpecialUseIpv4,
    },
    {
        key: "hybrid-platform:alerts.pagerDutyEndpoint",
        examples: {
            prod: "https://events.pagerduty.com/integration/hybrid-platform-prod/enqueue",
            dr: "https://events.pagerduty.com/integration/hybrid-platform-dr/enqueue",
        },
        why: "SNS auto-confirms an HTTPS subscription only against PagerDuty's real integration URL; the example is never confirmed and the subscription times out",
        set: "pulumi config set --path alerts.pagerDutyEndpoint https://events.pagerduty.com/integration/<integration key>/enqueue",
        unusable: isMalformedPagerDutyUrl,
    },
    {
        key: "hybrid-platform:audit.socDestinationArn",
        examples: { prod: "arn:aws:logs:eu-west-2:111122223333:destination:soc-example" },
        why: "CloudTrail and flow logs are forwarded to the SOC's CloudWatch Logs destination (seed 4.3): an example destination refuses the subscription filter",
        set: "pulumi config set --path audit.socDestinationArn arn:aws:logs:<region>:<SOC account>:destination:<name>",
    },
    {
        key: "hybrid-platform:onPremObjectStorePassword",
        examples: { prod: "EXAMPLE-set-with-pulumi-config-set-secret" },
        why: "the MinIO provider logs in as data.onPremObjectStore.user with it; a stack file can hold only ciphertext of this stack's own secrets provider, so the example is plain text until set",
        set: "pulumi config set --secret onPremObjectStorePassword <password of data.onPremObjectStore.user>",
    },
    {
        key: "hybrid-platform:data.onPremObjectStore.syncAgentCaCertificate",
        examples: { prod: PLACEHOLDER_SYNC_CA },
        why: "the sync agent's client certificate is verified against this CA: the placeholder admits no real agent, so on-prem documents never sync",
        set: 'pulumi config set --path data.onPremObjectStore.syncAgentCaCertificate "$(cat <data centre CA>.pem)"',
    },
    {
        key: "hybrid-platform:onPremKubeconfig",
        examples: { prod: "EXAMPLE-kubeconfig-of-the-on-prem-cluster" },
        why: "with app.onPrem set, the workloads are applied to the on-prem cluster through this kubeconfig",
        set: 'pulumi config set --secret onPremKubeconfig "$(cat <on-prem kubeconfig>)"',
    },
    // issue #16: the on-prem hosts Ansible configures (model/onPremHosts.ts, docs/on-prem-hosts.md).
    {
        key: "hybrid-platform:onPrem.hosts",
        examples: { prod: JSON.stringify(EXAMPLE_ON_PREM_HOSTS) },
        why: "the playbooks run against these addresses over the VPN: example hosts never answer SSH, so pulumi up fails on the on-prem command and no DMZ, firewall or node is configured",
        set: "pulumi config set --path 'onPrem.hosts.<dmz_lb|api_gateway|k8s_nodes|object_store>[<n>]' ... (edit Pulumi.<stack>.yaml: name, address, vlan of each host)",
    },
    {
        key: "hybrid-platform:onPrem.sshPrivateKey",
        examples: { prod: "EXAMPLE-set-with-pulumi-config-set-secret" },
        why: "Ansible logs in to every on-prem host with this key (onPrem.sshUser); a stack file can hold only this stack's own ciphertext, so the example is plain text until set",
        set: 'pulumi config set --secret --path onPrem.sshPrivateKey "$(cat <private key of onPrem.sshUser>)"',
    },
    {
        key: "hybrid-platform:onPrem.sshKnownHosts",
        examples: { prod: "EXAMPLE-ssh-keyscan-of-the-on-prem-hosts" },
        why: "the playbooks connect with StrictHostKeyChecking=yes: a host whose key is not listed is refused, so nothing is configured",
        set: 'pulumi config set --path onPrem.sshKnownHosts "$(ssh-keyscan -t ed25519 <each host address>)" (compare each key with the host\'s console first)',
    },
    {
        key: "hybrid-platform:onPrem.socSyslog.host",
        examples: { prod: "soc-syslog.dc1.citizen-portal.internal" },
        why: "every host forwards its audit and system logs there over TLS (seed 4.3): an example receiver never answers, and the logs wait in the disk queue until it fills",
        set: "pulumi config set --path onPrem.socSyslog.host <DNS name of the SOC's syslog-over-TLS receiver>",
    },
    {
        key: "hybrid-platform:onPrem.ntpServers",
        examples: { prod: JSON.stringify(["ntp1.dc1.citizen-portal.internal", "ntp2.dc1.citizen-portal.internal"]) },
        why: "chrony follows only these servers: with example names the hosts' clocks drift and their audit timestamps stop matching AWS's",
        set: "pulumi config set --path 'onPrem.ntpServers[<n>]' <NTP server n of the data centre: one command per server, from 0>",
    },
];

/** The value at a full key ("ns:a.b.c") of a flat Pulumi config map, as a string; undefined when unset. */
export function siteValueAt(flat: Readonly<Record<string, string>>, key: string): string | undefined {
    const sep = key.indexOf(":");
    const [first, ...rest] = key.slice(sep + 1).split(".");
    const nested = nestConfig(flat)[key.slice(0, sep)] ?? {};
    const value = rest.reduce<unknown>(
        (node, part) => (node !== null && typeof node === "object" ? (node as Record<string, unknown>)[part] : undefined),
        nested[first],
    );
    return value === undefined || value === null ? undefined : typeof value === "string" ? value : JSON.stringify(value);
}

/** The site values of this stack's role still at their example (or at a value AWS refuses), in declaration order. */
export function pendingSiteValues(flat: Readonly<Record<string, string>>, role: string): (SiteValue & { readonly example: string })[] {
    const pending: (SiteValue & { readonly example: string })[] = [];
    for (const entry of SITE_VALUES) {
        const example = entry.examples[role as SiteRole];
        if (example === undefined) continue;
        const value = siteValueAt(flat, entry.key);
        if (value === undefined) continue; // unset: the feature is off, or the config check names the key
        if (value === example || entry.unusable?.(value)) pending.push({ ...entry, example });
    }
    return pending;
}

/** The plan JSON's `siteValues` field: what is still to set, without the commands (they are in the CLI output and the gate). */
export function siteValuesReport(flat: Readonly<Record<string, string>>, role: string): PendingSiteValue[] {
    return pendingSiteValues(flat, role).map(({ key, example, why }) => ({ key, example: example.split("\n")[0], why }));
}

/** The `set` command of a site value, for one stack. */
export function setCommand(entry: SiteValue, stack: string): string {
    return `${entry.set} --stack ${stack}`;
}

/**
 * The one line a real `pulumi preview/up` stops with while any site value is at its example;
 * undefined when every one is real.
 */
export function siteValueGateMessage(flat: Readonly<Record<string, string>>, role: string, stack: string): string | undefined {
    const pending = pendingSiteValues(flat, role);
    if (pending.length === 0) return undefined;
    const each = pending.map((p) => `${p.key} (${setCommand(p, stack)})`).join("; ");
    return `site values still at their example (set them, then run again; nothing was created): ${each}`;
}
