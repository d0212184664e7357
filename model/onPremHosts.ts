/**
 * The on-prem hosts Ansible configures (issue #16, seed 1.1, 1.2, 5: "Ansible handles on-prem OS-level
 * configuration"): the `hybrid-platform:onPrem` config section, its cross-checks against the on-prem VLANs, and the
 * inventory the playbooks read (`ansible/`), generated from it so that the stack file is the one place a host is
 * declared. Pure.
 */
import { z } from "zod";
import { contains, isIpv4Address, parseCidr } from "./cidr";
import { DEFAULTS } from "./defaults";
import { ON_PREM_VLANS } from "./flows";
import { GROUP_VLAN, ON_PREM_GROUPS, OnPremGroup, OnPremVlan, hostFirewallRules } from "./onPremFirewall";

export { GROUP_VLAN, ON_PREM_GROUPS, type OnPremGroup, type OnPremVlan };

const hostName = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, "a lower-case host name (one DNS label) such as dmz-lb-1");
const dnsName = z.string().regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "a lower-case DNS name such as soc.example.internal");

const hostSchema = z
    .strictObject({
        name: hostName.meta({ description: "Inventory name of the host: one lower-case DNS label, unique across the groups." }),
        address: z
            .string()
            .refine(isIpv4Address, "an IPv4 address")
            .meta({ description: "IPv4 address Ansible reaches the host on over the VPN, inside the CIDR of its VLAN in network.onPrem.cidrs." }),
        vlan: z.enum(ON_PREM_VLANS).meta({
            description:
                "The host's VLAN: application, data or dmz (network.onPrem.cidrs in that order); dmz_lb and api_gateway hosts sit in dmz, k8s_nodes in application, object_store in data.",
        }),
    })
    .meta({ description: "One on-prem host." });

const group = (what: string) => z.array(hostSchema).default([]).meta({ description: what });

export const onPremHostsSchema = z
    .strictObject({
        hosts: z
            .strictObject({
                dmz_lb: group(
                    "The DMZ load balancers (HAProxy, TLS 1.3 to citizens; the /healthz the GSLB probes on the health-check port). Two for no single point of failure.",
                ),
                api_gateway: group("The API gateways in front of FastAPI (HAProxy with per-client rate limits), in the DMZ."),
                k8s_nodes: group(
                    "The on-prem Kubernetes (RKE2) nodes: kernel modules, sysctls and the RKE2 configuration; RKE2 itself is installed by its own tooling.",
                ),
                object_store: group("The MinIO hosts of the data VLAN."),
            })
            .meta({ description: "The hosts of each inventory group (ansible/): base hardening, host firewall and log forwarding on every one." }),
        sshUser: z
            .string()
            .regex(/^[a-z_][a-z0-9_-]{0,31}$/, "a POSIX user name")
            .refine((u) => u !== "root", "a user other than root (CIS 5.2: sshd refuses root logins)")
            .default(DEFAULTS.onPrem.sshUser)
            .meta({ description: "The account Ansible logs in as with the SSH key (sudo to root); root itself is refused by sshd." }),
        sshPrivateKey: z.string().min(1).meta({
            description:
                "Secret (`pulumi config set --secret --path onPrem.sshPrivateKey`): the SSH private key of sshUser, written to a temporary file only for the run of the playbooks.",
        }),
        sshKnownHosts: z.string().min(1).meta({
            description:
                "The hosts' SSH public keys in known_hosts format (`ssh-keyscan`, checked against each host's console): the playbooks connect with StrictHostKeyChecking=yes, so a host whose key is not here is never configured.",
        }),
        socSyslog: z
            .strictObject({
                host: dnsName.meta({ description: "The SOC's syslog-over-TLS receiver; its certificate must carry this name (rsyslog checks it, x509/name)." }),
                port: z.number().int().min(1).max(65535).default(DEFAULTS.onPrem.socSyslog.port).meta({ description: "Its TCP port (RFC 5425: 6514)." }),
            })
            .meta({ description: "Where every host forwards its audit and system logs (seed 4.3), with rsyslog over TLS." }),
        ntpServers: z
            .array(z.string().refine((s) => isIpv4Address(s) || dnsName.safeParse(s).success, "an IPv4 address or a DNS name"))
            .min(2)
            .meta({ description: "The data centre's NTP servers chrony follows (two at least: audit timestamps must agree with AWS's within a second)." }),
        ingressPort: z
            .number()
            .int()
            .min(1)
            .max(65535)
            .default(DEFAULTS.onPrem.ingressPort)
            .meta({ description: "TCP port of the on-prem cluster's ingress controller on every k8s_nodes host (HTTPS)." }),
    })
    .meta({
        description:
            "The on-prem hosts Ansible configures on every `pulumi up` (components/onprem/, docs/on-prem-hosts.md): base hardening, nftables, log forwarding, the DMZ load balancer and API gateway, Kubernetes node prerequisites. None: nothing on-prem is configured.",
    });

export type OnPremHostsConfig = z.infer<typeof onPremHostsSchema>;
export type OnPremHost = z.infer<typeof hostSchema>;

/** A problem of the on-prem hosts against the rest of the config, as a config issue (path under the project's namespace). */
export interface OnPremHostIssue {
    readonly path: PropertyKey[];
    readonly message: string;
}

/** The VLAN CIDRs by name, from `network.onPrem.cidrs` (application, data, dmz). */
export function vlanCidrs(cidrs: readonly string[]): Partial<Record<OnPremVlan, string>> {
    return Object.fromEntries(ON_PREM_VLANS.flatMap((vlan, i) => (cidrs[i] === undefined ? [] : [[vlan, cidrs[i]]])));
}

/** Cross-checks: the VLANs exist, each host is in its group's VLAN and inside its CIDR, names and addresses are unique. */
export function onPremHostIssues(onPrem: OnPremHostsConfig | undefined, onPremCidrs: readonly string[] | undefined): OnPremHostIssue[] {
    if (!onPrem) return [];
    const issues: OnPremHostIssue[] = [];
    const all = ON_PREM_GROUPS.flatMap((g) => onPrem.hosts[g].map((h, i) => ({ g, h, i })));
    if (all.length === 0) issues.push({ path: ["onPrem", "hosts"], message: "at least one host (or leave onPrem out: nothing on-prem is configured)" });
    if ((onPremCidrs ?? []).length < ON_PREM_VLANS.length) {
        issues.push({
            path: ["network", "onPrem", "cidrs"],
            message: `the ${ON_PREM_VLANS.join(", ")} VLAN CIDRs in that order (onPrem.hosts places hosts in them)`,
        });
        return issues;
    }
    const cidrOf = vlanCidrs(onPremCidrs ?? []);
    const names = new Set<string>();
    const addresses = new Set<string>();
    for (const { g, h, i } of all) {
        const at = (field: string) => ["onPrem", "hosts", g, i, field];
        if (h.vlan !== GROUP_VLAN[g]) issues.push({ path: at("vlan"), message: `"${GROUP_VLAN[g]}" (${g} hosts sit in the ${GROUP_VLAN[g]} VLAN, seed 1.1)` });
        const cidr = parseCidr(cidrOf[h.vlan] ?? "");
        const host = parseCidr(`${h.address}/32`);
        if (cidr && host && !contains(cidr, host))
            issues.push({ path: at("address"), message: `an address inside the ${h.vlan} VLAN ${cidrOf[h.vlan]} (network.onPrem.cidrs)` });
        if (names.has(h.name)) issues.push({ path: at("name"), message: "a name no other host has" });
        if (addresses.has(h.address)) issues.push({ path: at("address"), message: "an address no other host has" });
        names.add(h.name);
        addresses.add(h.address);
    }
    return issues;
}

/** What the inventory needs besides the hosts: the rest of the stack's config the playbooks read. */
export interface InventoryContext {
    /** The citizen portal's public hostname (HSTS, the SNI of the backends, the GSLB's checks). */
    readonly portalHostname: string;
    /** The health-check path Route 53 requests (dr.gslb.healthCheckPath). */
    readonly healthCheckPath: string;
    /** network.onPrem.cidrs (application, data, dmz). */
    readonly onPremCidrs: readonly string[];
    /** The VPC CIDRs the VPN carries (this stack's and its peers'): where Ansible and the AWS-side flows come from. */
    readonly vpcCidrs: readonly string[];
    /** Requests per 5 minutes and citizen the API gateway admits: the WAF's rate-based rule on the AWS side (app.wafRateLimit). */
    readonly rateLimitPer5Minutes: number;
}

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/**
 * The Ansible inventory (YAML inventory plugin; JSON is YAML): one group per role with its hosts, and every
 * variable the playbooks read, including each group's host firewall rules generated from the flow model. The
 * secrets (SSH key) are not in it: the component passes them to the run only.
 */
export function renderInventory(onPrem: OnPremHostsConfig, ctx: InventoryContext): string {
    const hostsOf = (g: OnPremGroup) => onPrem.hosts[g];
    const addresses = (g: OnPremGroup) => hostsOf(g).map((h) => h.address);
    const children: Record<string, Json> = {};
    for (const g of ON_PREM_GROUPS) {
        children[g] = {
            hosts: Object.fromEntries(hostsOf(g).map((h) => [h.name, { ansible_host: h.address, vlan: h.vlan }])),
            vars: { host_firewall_rules: hostFirewallRules(g, onPrem, ctx) as unknown as Json },
        };
    }
    const vars: Record<string, Json> = {
        ansible_user: onPrem.sshUser,
        portal_hostname: ctx.portalHostname,
        health_check_path: ctx.healthCheckPath,
        soc_syslog_host: onPrem.socSyslog.host,
        soc_syslog_port: onPrem.socSyslog.port,
        ntp_servers: onPrem.ntpServers,
        ingress_port: onPrem.ingressPort,
        ingress_backends: addresses("k8s_nodes"),
        api_gateway_backends: addresses("api_gateway"),
        dmz_lb_addresses: addresses("dmz_lb"),
        api_rate_limit_per_5m: ctx.rateLimitPer5Minutes,
        k8s_node_addresses: addresses("k8s_nodes"),
    };
    return `${JSON.stringify({ all: { vars, children } }, null, 2)}\n`;
}
