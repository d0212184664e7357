/**
 * Network ACL step: one NACL per tier across its subnets, with the rules `model/network.ts` derives
 * from the subnet plan, the VPC CIDR and the on-prem CIDRs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlannedSubnet, Tier, TIERS } from "../../model/cidr";
import { naclRules } from "../../model/network";
import { IdsByTier, StepScope } from "./step";

export interface NetworkAclsArgs extends StepScope {
    readonly vpcId: pulumi.Input<string>;
    readonly vpcCidr: string;
    readonly plan: PlannedSubnet[];
    readonly subnetIds: IdsByTier;
    /** On-prem networks the private tier exchanges traffic with (none without a link). */
    readonly onPremCidrs: string[];
    /** The on-prem DNS servers the Resolver outbound endpoint queries from the private tier (none without on-prem DNS). */
    readonly onPremDnsServers?: string[];
}

export interface NetworkAcls {
    readonly networkAclIds: Record<Tier, pulumi.Output<string>>;
}

export function createNetworkAcls(parent: pulumi.ComponentResource, name: string, args: NetworkAclsArgs): NetworkAcls {
    const { tags } = args;
    const child = { parent };
    const rules = naclRules({ plan: args.plan, vpcCidr: args.vpcCidr, onPremCidrs: args.onPremCidrs, onPremDnsServers: args.onPremDnsServers });
    const networkAclIds = {} as Record<Tier, pulumi.Output<string>>;
    for (const tier of TIERS) {
        const naclName = `${name}-${tier}`;
        const nacl = new aws.ec2.NetworkAcl(
            naclName,
            { vpcId: args.vpcId, subnetIds: args.subnetIds[tier], tags: { ...tags, "hybrid:tier": tier, Name: naclName } },
            child,
        );
        networkAclIds[tier] = nacl.id;
        for (const rule of rules[tier]) {
            new aws.ec2.NetworkAclRule(
                `${naclName}-${rule.egress ? "out" : "in"}-${rule.ruleNumber}`,
                {
                    networkAclId: nacl.id,
                    ruleNumber: rule.ruleNumber,
                    egress: rule.egress,
                    protocol: rule.protocol,
                    ruleAction: "allow",
                    cidrBlock: rule.cidrBlock,
                    fromPort: rule.fromPort,
                    toPort: rule.toPort,
                },
                child,
            );
        }
    }
    return { networkAclIds };
}
