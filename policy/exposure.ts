/**
 * Network exposure (seed 1.1, 1.4, 4.3): data lives in subnets with no path to the
 * internet, nothing is publicly accessible, security groups admit the world only on
 * 80/443 of an internet-facing load balancer, the EKS API is not open to the world,
 * and the isolated tier's NACL allows nothing broad.
 */
import { PolicyResource } from "@pulumi/policy";
import { Graph, Guardrail, T, UNKNOWN, asArray, isPrivateCidr, isSet, isWorld, label, peek, resourceGuardrail, stackGuardrail } from "./lib";
import { INTERNET_EGRESS_REASON_TAG } from "../model/names";

/** Subnets that hold data: those of RDS / ElastiCache subnet groups, OpenSearch domains, and the isolated tier. */
function dataSubnets(graph: Graph, report: (m: string, urn?: string) => void): Map<PolicyResource, string> {
    const subnets = new Map<PolicyResource, string>();
    for (const group of graph.ofType(T.rdsSubnets, T.cacheSubnets)) {
        const found = graph.refs(group, "subnetIds", T.subnet);
        const declared = peek(() => asArray(group.props.subnetIds as unknown[]).length);
        if (found.length === 0 || (declared !== UNKNOWN && declared > found.length)) {
            report(`${label(group)} uses subnets this stack does not manage: their routes cannot be verified`, group.urn);
        }
        for (const s of found) subnets.set(s, label(group));
    }
    for (const domain of graph.ofType(T.opensearch)) {
        for (const s of graph.refs(domain, "vpcOptions", T.subnet)) subnets.set(s, label(domain));
    }
    for (const s of graph.ofType(T.subnet)) {
        if (graph.tierOf(s) === "isolated" && !subnets.has(s)) subnets.set(s, "the isolated tier");
    }
    return subnets;
}

export const dataSubnetsIsolated = stackGuardrail({
    name: "data-subnets-isolated",
    description:
        "Data subnets (RDS/ElastiCache/OpenSearch subnet groups and the isolated tier) have no route to an internet or NAT gateway and map no public IPs.",
    remediation:
        "Put data stores in the isolated subnets: own route tables with no default route, mapPublicIpOnLaunch false, an explicit route table association.",
    concern: "network-exposure",
    seed: "1.1",
    why: "Seed 1.1: isolated subnets house the data layer; a route to the internet or NAT gives a compromised database a way out.",
    types: [T.rdsSubnets, T.cacheSubnets, T.opensearch, T.subnet, T.rtAssoc, T.route, T.routeTable],
    check: ({ graph }, report) => {
        for (const [subnet, why] of dataSubnets(graph, report)) {
            if (peek(() => subnet.props.mapPublicIpOnLaunch) === true) report(`data subnet ${subnet.name} (${why}) maps public IPs on launch`, subnet.urn);
            const tables = graph.routeTablesOf(subnet);
            if (tables.length === 0) report(`data subnet ${subnet.name} (${why}) has no explicit route table: the VPC's main route table applies`, subnet.urn);
            for (const rt of tables) {
                for (const route of graph.routesOf(rt)) {
                    if (route.target.kind === "internet" || route.target.kind === "nat") {
                        report(
                            `data subnet ${subnet.name} (${why}): route table ${rt.name} routes ${route.destination ?? "traffic"} to ${route.target.kind === "nat" ? "a NAT" : "an internet"} gateway`,
                            subnet.urn,
                        );
                    }
                }
            }
        }
    },
});

export const notPubliclyAccessible = resourceGuardrail({
    name: "data-stores-not-public",
    description: "Databases and search domains are never publicly accessible.",
    remediation: "RDS: publiclyAccessible false; OpenSearch: deploy into the VPC (vpcOptions with isolated subnets).",
    concern: "network-exposure",
    seed: "1.1, 4.3",
    why: "A publicly accessible database gets a public DNS name and IP: one security-group mistake from the internet.",
    types: [T.rds, T.opensearch],
    check: ({ type, props }, report) => {
        if (type === T.rds && props.publiclyAccessible === true) report("publiclyAccessible is true");
        if (type === T.opensearch && !isSet(props, "vpcOptions")) report("no vpcOptions: the domain gets a public endpoint");
    },
});

/** One ingress permission of a security group, from inline blocks or standalone rules. */
interface Ingress {
    readonly sg: PolicyResource | undefined;
    readonly from: PolicyResource;
    readonly cidrs: string[];
    readonly sgSource: boolean;
    readonly prefixList: boolean;
    readonly fromPort: unknown;
    readonly toPort: unknown;
    readonly protocol: unknown;
}

function ingressOf(graph: Graph): Ingress[] {
    const out: Ingress[] = [];
    for (const sg of graph.ofType(T.sg, T.defaultSg)) {
        const blocks = peek(() => sg.props.ingress as Record<string, any>[] | undefined);
        if (blocks === UNKNOWN) continue;
        for (const b of asArray(blocks)) {
            out.push({
                sg,
                from: sg,
                cidrs: [...asArray(peek(() => b.cidrBlocks) as string[]), ...asArray(peek(() => b.ipv6CidrBlocks) as string[])].filter(
                    (c) => typeof c === "string",
                ),
                sgSource: asArray(peek(() => b.securityGroups) as unknown[]).length > 0 || b.self === true,
                prefixList: asArray(peek(() => b.prefixListIds) as unknown[]).length > 0,
                fromPort: b.fromPort,
                toPort: b.toPort,
                protocol: b.protocol,
            });
        }
    }
    for (const rule of graph.ofType(T.sgRule)) {
        if (peek(() => rule.props.type) !== "ingress") continue;
        const p = rule.props;
        out.push({
            sg: graph.refs(rule, "securityGroupId", T.sg)[0],
            from: rule,
            cidrs: [...asArray(peek(() => p.cidrBlocks) as string[]), ...asArray(peek(() => p.ipv6CidrBlocks) as string[])].filter(
                (c) => typeof c === "string",
            ),
            sgSource: isSet(p, "sourceSecurityGroupId") || p.self === true,
            prefixList: asArray(peek(() => p.prefixListIds) as unknown[]).length > 0,
            fromPort: p.fromPort,
            toPort: p.toPort,
            protocol: p.protocol,
        });
    }
    for (const rule of graph.ofType(T.sgIngress)) {
        const p = rule.props;
        out.push({
            sg: graph.refs(rule, "securityGroupId", T.sg)[0],
            from: rule,
            cidrs: [peek(() => p.cidrIpv4), peek(() => p.cidrIpv6)].filter((c): c is string => typeof c === "string"),
            sgSource: isSet(p, "referencedSecurityGroupId"),
            prefixList: isSet(p, "prefixListId"),
            fromPort: p.fromPort,
            toPort: p.toPort,
            protocol: p.ipProtocol,
        });
    }
    return out;
}

const describePorts = (i: Ingress) => `${i.protocol ?? "?"} ${i.fromPort ?? "*"}-${i.toPort ?? "*"}`;

export const noWorldIngress = stackGuardrail({
    name: "no-world-ingress",
    description: "No security group admits 0.0.0.0/0 or ::/0, except TCP 80/443 on an internet-facing load balancer.",
    remediation: "Admit clients by security group or private CIDR; publish services through the internet-facing ALB on 443 (80 only redirects).",
    concern: "network-exposure",
    seed: "1.4, 4.3",
    why: "Zero trust: nothing but the edge load balancer may be reachable from the internet, and only on web ports.",
    types: [T.sg, T.defaultSg, T.sgRule, T.sgIngress, T.lb],
    check: ({ graph }, report) => {
        const publicLbSgs = new Set(
            graph
                .ofType(T.lb)
                .filter(
                    (lb) =>
                        peek(() => lb.props.internal) !== true &&
                        ["application", undefined].includes(peek(() => lb.props.loadBalancerType) as string | undefined),
                )
                .flatMap((lb) => graph.refs(lb, "securityGroups", T.sg)),
        );
        for (const i of ingressOf(graph)) {
            const world = i.cidrs.filter(isWorld);
            if (world.length === 0) continue;
            const webPort = i.fromPort === i.toPort && [80, 443].includes(Number(i.fromPort)) && ["tcp", "6"].includes(String(i.protocol));
            if (webPort && i.sg && publicLbSgs.has(i.sg)) continue;
            const where = i.sg ? `security group ${i.sg.name}` : label(i.from);
            report(
                `${where} admits ${world.join(", ")} on ${describePorts(i)}${webPort ? " but is not attached to an internet-facing load balancer" : ""}`,
                i.from.urn,
            );
        }
    },
});

export const dataSgPrivate = stackGuardrail({
    name: "data-sg-private-sources",
    description: "Security groups of databases and caches admit only other security groups or private CIDRs.",
    remediation: "Admit the application's security group (referencedSecurityGroupId) or on-prem private ranges on the data port only.",
    concern: "network-exposure",
    seed: "1.1, 4.3",
    why: "Data stores must only be reachable from the application layer and on-prem data VLANs, never from public address space.",
    types: [T.rds, T.rdsCluster, T.redis, T.opensearch, T.sg, T.sgRule, T.sgIngress],
    check: ({ graph }, report) => {
        const dataSgs = new Map<PolicyResource, string>();
        for (const db of graph.ofType(T.rds, T.rdsCluster)) for (const sg of graph.refs(db, "vpcSecurityGroupIds", T.sg)) dataSgs.set(sg, label(db));
        for (const c of graph.ofType(T.redis)) for (const sg of graph.refs(c, "securityGroupIds", T.sg)) dataSgs.set(sg, label(c));
        for (const d of graph.ofType(T.opensearch)) for (const sg of graph.refs(d, "vpcOptions", T.sg)) dataSgs.set(sg, label(d));
        for (const i of ingressOf(graph)) {
            if (!i.sg || !dataSgs.has(i.sg)) continue;
            const publicCidrs = i.cidrs.filter((c) => !isPrivateCidr(c));
            if (publicCidrs.length > 0) report(`security group ${i.sg.name} of ${dataSgs.get(i.sg)} admits non-private ${publicCidrs.join(", ")}`, i.from.urn);
            if (i.prefixList) report(`security group ${i.sg.name} of ${dataSgs.get(i.sg)} admits a prefix list`, i.from.urn);
        }
    },
});

export const eksApiNotPublic = resourceGuardrail({
    name: "eks-api-not-public",
    description: "The EKS API endpoint is private, or public only to listed non-world CIDRs.",
    remediation: "Set endpointPrivateAccess true and endpointPublicAccess false, or publicAccessCidrs to the CI/ops egress ranges.",
    concern: "network-exposure",
    seed: "4.3",
    why: "An API server open to 0.0.0.0/0 exposes the cluster's authentication to the whole internet.",
    types: [T.eksComponent, T.eksCluster],
    check: ({ type, props }, report) => {
        const v = (type === T.eksCluster ? props.vpcConfig : props) as Record<string, any> | undefined;
        if (!v) return report("vpcConfig is not set");
        if (peek(() => v.endpointPublicAccess) === false) return;
        const cidrs = peek(() => v.publicAccessCidrs as string[] | undefined);
        if (cidrs === UNKNOWN) return;
        if (asArray(cidrs).length === 0) report("the public endpoint is enabled (the default) with no publicAccessCidrs: open to 0.0.0.0/0");
        else if (asArray(cidrs).some(isWorld)) report(`publicAccessCidrs includes ${asArray(cidrs).filter(isWorld).join(", ")}`);
    },
});

const isAllowAll = (r: Record<string, any>): boolean => {
    const action = peek(() => r.ruleAction ?? r.action);
    if (action !== "allow") return false;
    const protocol = String(peek(() => r.protocol));
    return isWorld(peek(() => r.cidrBlock)) || isWorld(peek(() => r.ipv6CidrBlock)) || protocol === "-1" || protocol === "all";
};

export const isolatedNacl = stackGuardrail({
    name: "isolated-nacl-not-allow-all",
    description: "NACLs of the isolated tier have no allow rule for all traffic or for 0.0.0.0/0 / ::/0.",
    remediation: "Allow only the data ports from the private tier's CIDRs and the return ports back (model/network.ts naclRules).",
    concern: "network-exposure",
    seed: "1.4",
    why: "The isolated tier's NACL is the stateless second line behind security groups (defence in depth, seed 1.4).",
    types: [T.nacl, T.naclRule, T.naclAssoc, T.subnet],
    check: ({ graph }, report) => {
        const isolated = (s: PolicyResource) => graph.tierOf(s) === "isolated";
        const nacls = new Set(graph.ofType(T.nacl).filter((n) => graph.tierOf(n) === "isolated" || graph.refs(n, "subnetIds", T.subnet).some(isolated)));
        for (const a of graph.ofType(T.naclAssoc)) {
            if (graph.refs(a, "subnetId", T.subnet).some(isolated)) graph.refs(a, "networkAclId", T.nacl).forEach((n) => nacls.add(n));
        }
        for (const nacl of nacls) {
            for (const dir of ["ingress", "egress"]) {
                for (const r of asArray(peek(() => nacl.props[dir]) as Record<string, any>[] | undefined)) {
                    if (isAllowAll(r))
                        report(
                            `NACL ${nacl.name}: inline ${dir} rule ${r.ruleNo ?? "?"} allows ${r.cidrBlock ?? r.ipv6CidrBlock} protocol ${r.protocol}`,
                            nacl.urn,
                        );
                }
            }
            for (const rule of graph.referrers(nacl, [T.naclRule], "networkAclId")) {
                if (isAllowAll(rule.props))
                    report(
                        `NACL ${nacl.name}: rule ${rule.name} allows ${rule.props.cidrBlock ?? rule.props.ipv6CidrBlock} protocol ${rule.props.protocol}`,
                        rule.urn,
                    );
            }
        }
    },
});

export const noPublicIpOnLaunch = resourceGuardrail({
    name: "subnets-no-public-ip-on-launch",
    description: "No subnet assigns public IPs to what launches in it.",
    remediation: "Set mapPublicIpOnLaunch false; ALBs and NAT gateways bring their own addresses.",
    concern: "network-exposure",
    seed: "1.1",
    why: "A node or task with a public IP is one security-group rule away from the internet.",
    types: [T.subnet],
    check: ({ props }, report) => {
        if (props.mapPublicIpOnLaunch === true) report("mapPublicIpOnLaunch is true");
    },
});

export const defaultsDenyAll = resourceGuardrail({
    name: "default-sg-and-nacl-deny-all",
    description: "The VPC's default security group and default NACL carry no rules (CIS AWS 5.4).",
    remediation: "Manage them with DefaultSecurityGroup / DefaultNetworkAcl and no ingress or egress blocks; use purpose-made groups and NACLs.",
    concern: "network-exposure",
    seed: "1.4",
    why: "Anything launched without an explicit group lands in the defaults; they must not let it talk.",
    types: [T.defaultSg, T.defaultNacl],
    check: ({ type, props }, report) => {
        for (const dir of ["ingress", "egress"]) {
            const rules = peek(() => props[dir] as unknown[] | undefined);
            if (rules !== UNKNOWN && asArray(rules).length > 0)
                report(`the default ${type === T.defaultSg ? "security group" : "NACL"} has ${asArray(rules).length} ${dir} rule(s)`);
        }
    },
});

const STRONG_CIPHERS = ["AES256", "AES256-GCM-16"];
const STRONG_INTEGRITY = ["SHA2-256", "SHA2-384", "SHA2-512"];
const STRONG_DH = [14, 15, 16, 17, 18, 19, 20, 21];

export const vpnCrypto = resourceGuardrail({
    name: "vpn-strong-crypto",
    description: "Site-to-site VPN tunnels use IKEv2, AES-256, SHA-2, DH group >= 14 only, and log to CloudWatch.",
    remediation:
        "Set tunnelN{IkeVersions, Phase1/2EncryptionAlgorithms, Phase1/2IntegrityAlgorithms, Phase1/2DhGroupNumbers, LogOptions} on both tunnels (NetworkTier does).",
    concern: "encryption",
    seed: "4.2, 9",
    why: "AWS defaults still offer IKEv1, AES-128, SHA-1 and DH group 2 for the link that carries on-prem data traffic.",
    types: [T.vpn],
    check: ({ props }, report) => {
        for (const t of ["tunnel1", "tunnel2"]) {
            const get = (k: string) => peek(() => props[`${t}${k}`]);
            const list = (k: string) => {
                const v = get(k);
                return v === UNKNOWN ? undefined : asArray(v as unknown[]);
            };
            const check = (k: string, allowed: readonly unknown[], what: string) => {
                const v = list(k);
                if (v === undefined) return;
                if (v.length === 0) report(`${t}${k} is unset: AWS defaults include weak ${what}`);
                else if (v.some((x) => !allowed.includes(x as never))) report(`${t}${k} allows ${v.filter((x) => !allowed.includes(x as never)).join(", ")}`);
            };
            check("IkeVersions", ["ikev2"], "IKE versions (ikev1)");
            check("Phase1EncryptionAlgorithms", STRONG_CIPHERS, "ciphers");
            check("Phase2EncryptionAlgorithms", STRONG_CIPHERS, "ciphers");
            check("Phase1IntegrityAlgorithms", STRONG_INTEGRITY, "integrity algorithms");
            check("Phase2IntegrityAlgorithms", STRONG_INTEGRITY, "integrity algorithms");
            check("Phase1DhGroupNumbers", STRONG_DH, "DH groups");
            check("Phase2DhGroupNumbers", STRONG_DH, "DH groups");
            const logs = get("LogOptions") as Record<string, any> | undefined | typeof UNKNOWN;
            if (logs !== UNKNOWN && logs?.cloudwatchLogOptions?.logEnabled !== true) report(`${t}LogOptions.cloudwatchLogOptions.logEnabled is not true`);
        }
    },
});

export const exposurePolicies: Guardrail[] = [
    dataSubnetsIsolated,
    notPubliclyAccessible,
    noWorldIngress,
    dataSgPrivate,
    eksApiNotPublic,
    isolatedNacl,
    noPublicIpOnLaunch,
    defaultsDenyAll,
    vpnCrypto,
];

// ---------------------------------------------------------------------------------------------
// issue #11 (build 4): egress the program already scopes, now guarded by the pack too
// ---------------------------------------------------------------------------------------------

const SG_EGRESS = "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule";

/**
 * Tag of a SecurityGroupEgressRule that declares why it must reach the internet over HTTPS (a CI runner
 * fetching from GitHub): such a rule, TCP 443 only, is reported as advisory with its reason.
 */
export { INTERNET_EGRESS_REASON_TAG };

/** The declared reason of an HTTPS-only egress rule, if it has one (a sentence). */
function declaredInternetEgress(props: Record<string, any>): string | undefined {
    const reason = peek(() => (props.tags as Record<string, unknown> | undefined)?.[INTERNET_EGRESS_REASON_TAG]);
    const https = peek(() => props.ipProtocol) === "tcp" && Number(peek(() => props.fromPort)) === 443 && Number(peek(() => props.toPort)) === 443;
    return https && typeof reason === "string" && reason.trim().length >= 15 ? reason.trim() : undefined;
}
const ALL_PROTOCOLS = ["-1", "all", -1];

/** What is wrong with one egress rule (protocol, ports, destination CIDRs), or undefined. */
function openEgress(rule: { protocol: unknown; cidrs: unknown[] }): string | undefined {
    const world = rule.cidrs.filter(isWorld);
    if (world.length > 0) return `egress to ${world.join(", ")}`;
    const publicCidrs = rule.cidrs.filter((c) => typeof c === "string" && !isPrivateCidr(c));
    if (publicCidrs.length > 0 && ALL_PROTOCOLS.includes(rule.protocol as string)) return `all protocols to public ${publicCidrs.join(", ")}`;
    return undefined;
}

export const sgEgressScoped = resourceGuardrail({
    name: "sg-egress-scoped",
    description: "Security groups send traffic only to named destinations (other security groups, prefix lists or private CIDRs), never to 0.0.0.0/0 or ::/0.",
    remediation:
        "Replace the CIDR with referencedSecurityGroupId (or a prefix list for the S3/DynamoDB gateway endpoints). A rule that must reach the internet over HTTPS (a CI runner) is TCP 443 only and carries the tag hybrid-platform/internet-egress-reason: <reason>, reported as advisory.",
    concern: "network-exposure",
    seed: "4.1, 4.3",
    why: "Zero trust applies outbound too: an SG that may reach the whole internet lets a compromised pod or Lambda exfiltrate citizen data and call any command-and-control host (AWS VPC 'Security group rules', https://docs.aws.amazon.com/vpc/latest/userguide/security-group-rules.html).",
    types: [SG_EGRESS, T.sgRule, T.sg],
    check: ({ type, props }, report) => {
        const rules: { protocol: unknown; cidrs: unknown[] }[] = [];
        if (type === SG_EGRESS) rules.push({ protocol: peek(() => props.ipProtocol), cidrs: [peek(() => props.cidrIpv4), peek(() => props.cidrIpv6)] });
        else if (type === T.sgRule && peek(() => props.type) === "egress")
            rules.push({
                protocol: peek(() => props.protocol),
                cidrs: [...asArray(peek(() => props.cidrBlocks)), ...asArray(peek(() => props.ipv6CidrBlocks))],
            });
        else if (type === T.sg) {
            const inline = peek(() => props.egress as Record<string, unknown>[] | undefined);
            for (const e of inline === UNKNOWN ? [] : asArray(inline))
                rules.push({ protocol: e.protocol, cidrs: [...asArray(e.cidrBlocks), ...asArray(e.ipv6CidrBlocks)] });
        }
        const declared = type === SG_EGRESS ? declaredInternetEgress(props) : undefined;
        for (const rule of rules) {
            const problem = openEgress({ protocol: rule.protocol, cidrs: rule.cidrs.filter((c) => c !== undefined && c !== null && c !== UNKNOWN) });
            if (problem && declared) report(`${problem} on TCP 443: declared internet egress (${declared})`, undefined, "advisory");
            else if (problem) report(problem);
        }
    },
});

exposurePolicies.push(sgEgressScoped);

export const eksNodesNoPublicIp = resourceGuardrail({
    name: "eks-nodes-no-public-ip",
    description: "EKS clusters do not give their nodes public IP addresses.",
    remediation: "Set nodeAssociatePublicIpAddress: false and place node groups in the private tier (egress through the NAT gateways).",
    concern: "network-exposure",
    seed: "4.3",
    why: "A public address puts every node (kubelet, node ports) one security-group mistake away from the internet; the private tier routes egress through NAT instead (AWS EKS 'Amazon EKS networking' best practices, https://docs.aws.amazon.com/eks/latest/best-practices/subnets.html).",
    types: [T.eksComponent],
    check: ({ props }, report) => {
        const v = peek(() => props.nodeAssociatePublicIpAddress);
        // @pulumi/eks defaults it to true for the nodes it launches itself.
        if (v !== UNKNOWN && v !== false) report(`nodeAssociatePublicIpAddress is ${JSON.stringify(v ?? "(unset: true)")}`);
    },
});

exposurePolicies.push(eksNodesNoPublicIp);
