/**
 * VPC step: the availability zones the tiers spread across, the VPC with its default security group
 * and NACL emptied, and one subnet per tier per AZ, tagged so EKS and the Load Balancer Controller
 * find them.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlannedSubnet, Tier } from "../../model/cidr";
import { azLetter } from "../../model/network";
import { IdsByTier, StepScope, ofTier } from "./step";

export interface VpcArgs extends StepScope {
    readonly cidr: string;
    /** For the error when the region offers fewer zones than `azCount`. */
    readonly region: string;
    readonly azCount: number;
    readonly plan: PlannedSubnet[];
}

export interface Vpc {
    readonly vpcId: pulumi.Output<string>;
    /** The first `azCount` zones the region offers without opt-in. */
    readonly availabilityZones: pulumi.Output<string[]>;
    /** Each planned subnet's resource (the route table step associates them). */
    readonly subnets: Map<PlannedSubnet, aws.ec2.Subnet>;
    readonly subnetIds: IdsByTier;
}

/** Tags that let the AWS Load Balancer Controller and EKS find the right subnets. */
const TIER_TAGS: Record<Tier, Record<string, string>> = {
    public: { "hybrid:tier": "public", "kubernetes.io/role/elb": "1" },
    private: { "hybrid:tier": "private", "kubernetes.io/role/internal-elb": "1" },
    isolated: { "hybrid:tier": "isolated" },
};

export function createVpc(parent: pulumi.ComponentResource, name: string, args: VpcArgs): Vpc {
    const { azCount, plan, tags } = args;
    const child = { parent };
    const zones = aws.getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, child);
    const availabilityZones = zones.names.apply((names) => {
        if (names.length < azCount)
            throw new pulumi.ResourceError(
                `NetworkTier ${name}: azCount ${azCount} exceeds the ${names.length} availability zones ${args.region} offers`,
                parent,
            );
        return names.slice(0, azCount);
    });

    const vpc = new aws.ec2.Vpc(name, { cidrBlock: args.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: { ...tags, Name: name } }, child);
    // CIS AWS 5.4: the default security group and NACL allow nothing; every subnet gets a tier NACL below.
    new aws.ec2.DefaultSecurityGroup(`${name}-default`, { vpcId: vpc.id, ingress: [], egress: [], tags: { Name: `${name}-default-deny` } }, child);
    new aws.ec2.DefaultNetworkAcl(`${name}-default`, { defaultNetworkAclId: vpc.defaultNetworkAclId, tags: { Name: `${name}-default-deny` } }, child);

    const subnets = new Map<PlannedSubnet, aws.ec2.Subnet>();
    for (const s of plan) {
        const subnetName = `${name}-${s.tier}-${azLetter(s.az)}`;
        subnets.set(
            s,
            new aws.ec2.Subnet(
                subnetName,
                {
                    vpcId: vpc.id,
                    cidrBlock: s.cidr,
                    availabilityZone: availabilityZones.apply((z) => z[s.az]),
                    // Nothing gets a public IP by launching: ALBs and NAT gateways bring their own.
                    mapPublicIpOnLaunch: false,
                    tags: { ...tags, ...TIER_TAGS[s.tier], Name: subnetName },
                },
                child,
            ),
        );
    }
    const idsOf = (tier: Tier) => ofTier(plan, subnets, tier).map((s) => s.id);
    return { vpcId: vpc.id, availabilityZones, subnets, subnetIds: { public: idsOf("public"), private: idsOf("private"), isolated: idsOf("isolated") } };
}
