/**
 * Where each end of a declared flow (model/flows.ts FlowEnd) sits in a plan: the subnets, the address used there,
 * the security groups, and what NetworkPolicies see of it. Joined by URN dependencies (preview works).
 */
import { PolicyResource } from "@pulumi/policy";
import { FlowEnd, ON_PREM_VLANS } from "../model/flows";
import { APP_NAMESPACE } from "../model/ports";
import { LOGGING_NAMESPACE, SHIPPER_POD_LABELS } from "../model/logShipping";
import { sampleHost } from "../model/reachability";
import { K8sEnd } from "../model/reachabilityK8s";
import { T, peek } from "./lib";
import { INTERNET_PROBE, NetworkIndex, Placement, S3_PROBE } from "./reachabilityGraph";

type PolicyResourceLike = PolicyResource;
const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
const LAMBDA = "aws:lambda/function:Function";
const SAR_STACK = "aws:serverlessrepository/cloudFormationStack:CloudFormationStack";
const VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint";

/** Where a declared end sits in this stack; [] when the stack has no such end ("absent"). */
export function placementsOf(index: NetworkIndex, end: FlowEnd): Placement[] {
    const g = index.graph;
    const inSubnets = (subnets: PolicyResourceLike[], sgs: PolicyResourceLike[], k8s?: (ip: string | undefined) => K8sEnd | undefined): Placement[] =>
        subnets.map((subnet) => {
            const cidr = str(peek(() => subnet.props.cidrBlock));
            const ip = cidr ? sampleHost(cidr) : undefined;
            return {
                subnet,
                vpc: g.refs(subnet, "vpcId", T.vpc)[0],
                ip,
                az: str(peek(() => g.azOf(subnet))),
                sgs: index.sgSet(sgs),
                k8s: k8s ? k8s(ip) : ip ? { kind: "address", ip } : undefined,
                where: "vpc",
            };
        });
    const outside = (ip: string, where: Placement["where"], prefixLists?: string[]): Placement[] => [{ ip, k8s: { kind: "address", ip }, where, prefixLists }];
    const sgsOf = (r: PolicyResourceLike, key: string) => g.refs(r, key).filter((x) => x.type === T.sg || x.type === T.eksComponent);
    const subnetsOf = (r: PolicyResourceLike, key: string) => g.refs(r, key, T.subnet);
    switch (end.kind) {
        case "internet":
            return outside(INTERNET_PROBE, "internet");
        case "publicApi":
            return outside(INTERNET_PROBE, "internet");
        case "s3":
            return outside(S3_PROBE.ip, "s3");
        case "healthCheckers": {
            // The only managed prefix list the stack's rules name is the checkers' (components/app/edge.ts).
            const lists = index.prefixListsInRules();
            return outside(INTERNET_PROBE, "internet", lists);
        }
        case "onPrem": {
            const cidr = index.onPremCidrs[ON_PREM_VLANS.indexOf(end.vlan)];
            return cidr ? outside(sampleHost(cidr), "onPrem") : [];
        }
        case "alb":
            return g.ofType(T.lb).flatMap((lb) => inSubnets(subnetsOf(lb, "subnets"), sgsOf(lb, "securityGroups")));
        case "pods":
        case "nodes":
        case "shipperPods": {
            const groups = g.ofType(T.nodeGroup);
            const templates = groups.flatMap((n) => g.refs(n, "launchTemplate", T.launchTemplate));
            const sgs = g.inOrder(templates.flatMap((t) => sgsOf(t, "vpcSecurityGroupIds")));
            const subnets = g.inOrder(groups.flatMap((n) => subnetsOf(n, "subnetIds")));
            const pod = (ip: string | undefined): K8sEnd | undefined =>
                ip && end.kind === "pods"
                    ? { kind: "pod", namespace: APP_NAMESPACE, labels: { app: end.app }, ip }
                    : ip && end.kind === "shipperPods"
                      ? { kind: "pod", namespace: LOGGING_NAMESPACE, labels: { ...SHIPPER_POD_LABELS }, ip }
                      : ip
                        ? { kind: "address", ip }
                        : undefined;
            return groups.length === 0 ? [] : inSubnets(subnets, sgs, pod);
        }
        case "service": {
            if (end.service === "postgres")
                return g.ofType(T.rds).flatMap((db) =>
                    inSubnets(
                        g.refs(db, "dbSubnetGroupName", T.rdsSubnets).flatMap((sg) => subnetsOf(sg, "subnetIds")),
                        sgsOf(db, "vpcSecurityGroupIds"),
                    ),
                );
            if (end.service === "redis")
                return g.ofType(T.redis).flatMap((c) =>
                    inSubnets(
                        g.refs(c, "subnetGroupName", T.cacheSubnets).flatMap((sg) => subnetsOf(sg, "subnetIds")),
                        sgsOf(c, "securityGroupIds"),
                    ),
                );
            return g.ofType(T.opensearch).flatMap((d) => inSubnets(subnetsOf(d, "vpcOptions"), sgsOf(d, "vpcOptions")));
        }
        case "interfaceEndpoint": {
            const eps = g.ofType(VPC_ENDPOINT).filter((e) => {
                const name = str(peek(() => e.props.serviceName));
                return name !== undefined && name.endsWith(`.${end.service}`) && peek(() => e.props.vpcEndpointType) === "Interface";
            });
            return eps.flatMap((e) => {
                // With private DNS the service's name resolves to the endpoint's own address in each subnet.
                const subnets = subnetsOf(e, "subnetIds");
                // Unknown in preview when the address is computed: the layers then say "unknown", never a guess's verdict.
                return inSubnets(subnets, sgsOf(e, "securityGroupIds")).map((p, i) => {
                    const ip = str(peek(() => (e.props.subnetConfigurations as { ipv4?: string }[] | undefined)?.[i]?.ipv4));
                    return { ...p, ip, k8s: ip ? { kind: "address" as const, ip } : undefined };
                });
            });
        }
        case "rotation": {
            const ours = (r: PolicyResourceLike) =>
                String(peek(() => r.props.name)).includes(`-${end.of}-`) && String(peek(() => r.props.name)).endsWith("rotation");
            return [
                ...g
                    .ofType(LAMBDA)
                    .filter(ours)
                    .flatMap((f) => inSubnets(subnetsOf(f, "vpcConfig"), sgsOf(f, "vpcConfig"))),
                // The PostgreSQL rotation function is AWS's Serverless Application Repository app: its template places the
                // function in the subnets and security group the stack passes as parameters (components/data/postgresRotation.ts).
                ...g
                    .ofType(SAR_STACK)
                    .filter(ours)
                    .flatMap((app) => inSubnets(subnetsOf(app, "parameters"), sgsOf(app, "parameters"))),
            ];
        }
        case "tier":
            return inSubnets(index.tierSubnets(end.tier), []).map((p) => ({ ...p, sgs: undefined }));
    }
}
