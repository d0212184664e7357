/**
 * On-prem DNS step: the VPC's Route 53 Resolver knows AWS and public names only, so the names of the data
 * centre (the MinIO endpoint that the deploy runner's MinIO provider and the document-sync pods call) do not
 * resolve. AWS's way: an outbound Resolver endpoint (an address in each private subnet, whose route tables
 * reach on-prem through the VPN gateway), a FORWARD rule per on-prem domain to the on-prem DNS servers, and
 * each rule associated with the VPC. Everything in the VPC that asks the VPC resolver (nodes, pods through
 * CoreDNS, the CodeBuild runner) then resolves them.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/resolver-forwarding-outbound-queries.html
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { DNS_PORT } from "../../model/ports";
import { OnPremDnsArgs } from "./networkTierArgs";
import { StepScope } from "./step";

export interface OnPremDnsStepArgs extends StepScope {
    readonly dns: OnPremDnsArgs;
    readonly vpcId: pulumi.Input<string>;
    /** One endpoint address in each, in AZ order: Route 53 requires at least two, in two AZs for redundancy. */
    readonly privateSubnetIds: pulumi.Input<string>[];
}

export interface OnPremDns {
    readonly resolverEndpointId: pulumi.Output<string>;
    /** One forwarding rule per domain, in `dns.domains` order. */
    readonly resolverRuleIds: pulumi.Output<string>[];
}

/** The endpoint's own protocol: plain DNS on port 53 (what the on-prem servers speak; DoH would need them to serve it). */
const DO53 = "Do53";

export function createOnPremDns(parent: pulumi.ComponentResource, name: string, args: OnPremDnsStepArgs): OnPremDns {
    const { dns, vpcId, tags } = args;
    const child = { parent };
    const base = `${name}-on-prem-dns`;
    // Outbound endpoints need egress only, TCP and UDP, to the port the target servers listen on; replies come back on
    // the tracked connections (no ingress rule, so nothing in the VPC or on-prem can open a connection to it).
    // @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/best-practices-resolver-endpoint-scaling.html
    const sg = new aws.ec2.SecurityGroup(
        base,
        { vpcId, description: "Route 53 Resolver outbound endpoint: DNS to the on-prem DNS servers only", tags: { ...tags, Name: base } },
        child,
    );
    dns.serverAddresses.forEach((ip, i) => {
        for (const ipProtocol of ["udp", "tcp"] as const) {
            new aws.vpc.SecurityGroupEgressRule(
                `${base}-${ipProtocol}-${i}`,
                {
                    securityGroupId: sg.id,
                    description: `DNS over ${ipProtocol.toUpperCase()} to on-prem DNS server ${ip}`,
                    ipProtocol,
                    fromPort: DNS_PORT,
                    toPort: DNS_PORT,
                    cidrIpv4: `${ip}/32`,
                    tags,
                },
                child,
            );
        }
    });
    // "Even though the minimum is 1, Route 53 requires that you create at least two" (CreateResolverEndpoint IpAddresses):
    // one per private subnet, so an AZ outage leaves the others (validated: the network spans at least two AZs).
    const endpoint = new aws.route53.ResolverEndpoint(
        base,
        {
            name: base,
            direction: "OUTBOUND",
            resolverEndpointType: "IPV4",
            protocols: [DO53],
            securityGroupIds: [sg.id],
            ipAddresses: args.privateSubnetIds.map((subnetId) => ({ subnetId })),
            tags: { ...tags, Name: base },
        },
        child,
    );
    const resolverRuleIds = dns.domains.map((domainName, i) => {
        const rule = new aws.route53.ResolverRule(
            `${base}-${i}`,
            {
                name: `${base}-${i}`,
                ruleType: "FORWARD",
                domainName,
                resolverEndpointId: endpoint.id,
                targetIps: dns.serverAddresses.map((ip) => ({ ip, port: DNS_PORT, protocol: DO53 })),
                tags: { ...tags, Name: `${base}-${domainName}` },
            },
            child,
        );
        // A rule does nothing until it is associated with the VPC whose queries it should forward.
        // @see https://docs.aws.amazon.com/Route53/latest/APIReference/API_route53resolver_AssociateResolverRule.html
        new aws.route53.ResolverRuleAssociation(`${base}-${i}`, { name: `${base}-${i}`, resolverRuleId: rule.id, vpcId }, child);
        return rule.id;
    });
    return { resolverEndpointId: endpoint.id, resolverRuleIds };
}
