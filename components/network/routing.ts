/**
 * Routing step: the internet gateway, a NAT gateway per AZ (or one, opted out), and one route table
 * per tier per AZ: public to the internet gateway, private to its AZ's NAT, isolated to nowhere.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PlannedSubnet, Tier } from "../../model/cidr";
import { azLetter } from "../../model/network";
import { IdsByTier, StepScope, ofTier } from "./step";

export interface RoutingArgs extends StepScope {
    readonly vpcId: pulumi.Input<string>;
    readonly plan: PlannedSubnet[];
    readonly subnets: ReadonlyMap<PlannedSubnet, aws.ec2.Subnet>;
    /** One NAT gateway per AZ, or `1` for a single one shared by all AZs. */
    readonly natCount: number;
}

export interface Routing {
    /** In AZ order. */
    readonly natGatewayIds: pulumi.Output<string>[];
    /** Each tier's route tables, in AZ order. */
    readonly routeTableIds: IdsByTier;
}

export function createRouting(parent: pulumi.ComponentResource, name: string, args: RoutingArgs): Routing {
    const { vpcId, plan, subnets, tags } = args;
    const child = { parent };
    const publicSubnets = ofTier(plan, subnets, "public");
    const igw = new aws.ec2.InternetGateway(name, { vpcId, tags: { ...tags, Name: name } }, child);
    const nats = Array.from({ length: args.natCount }, (_, az) => {
        const natName = `${name}-nat-${azLetter(az)}`;
        const eip = new aws.ec2.Eip(natName, { domain: "vpc", tags: { ...tags, Name: natName } }, child);
        return new aws.ec2.NatGateway(
            natName,
            { allocationId: eip.id, subnetId: publicSubnets[az].id, connectivityType: "public", tags: { ...tags, Name: natName } },
            { parent, dependsOn: [igw] },
        );
    });

    // One route table per tier per AZ: a NAT or AZ failure affects only its own AZ's routes.
    const routeTables = new Map<PlannedSubnet, aws.ec2.RouteTable>();
    for (const s of plan) {
        const rtName = `${name}-${s.tier}-${azLetter(s.az)}`;
        const rt = new aws.ec2.RouteTable(rtName, { vpcId, tags: { ...tags, "hybrid:tier": s.tier, Name: rtName } }, child);
        new aws.ec2.RouteTableAssociation(rtName, { routeTableId: rt.id, subnetId: subnets.get(s)!.id }, child);
        routeTables.set(s, rt);
        if (s.tier === "public") {
            new aws.ec2.Route(`${rtName}-internet`, { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id }, child);
        } else if (s.tier === "private") {
            const nat = nats[Math.min(s.az, nats.length - 1)];
            new aws.ec2.Route(`${rtName}-egress`, { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat.id }, child);
        }
        // The isolated tier gets no default route at all: RDS and ElastiCache never reach the internet.
    }
    const idsOf = (tier: Tier) => ofTier(plan, routeTables, tier).map((rt) => rt.id);
    return { natGatewayIds: nats.map((n) => n.id), routeTableIds: { public: idsOf("public"), private: idsOf("private"), isolated: idsOf("isolated") } };
}
