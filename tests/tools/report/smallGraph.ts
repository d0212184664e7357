/**
 * Small known graphs for the capacity, availability and DR reviews: a serving path with no single point
 * of failure (three AZs, NAT per AZ, Multi-AZ database and cache, two replicas behind the ALB with a PDB)
 * that each test mutates once.
 */
import type { Plan, PlannedResource } from "../../../tools/offline";
import { UNKNOWN } from "../../../tools/mocks";
import { plannedResource } from "../../support/plannedResource";

const urnOf = (type: string, name: string) => `urn:pulumi:t::p::${type}::${name}`;

export const res = (type: string, name: string, props: Record<string, unknown>, deps: Record<string, string[]> = {}): PlannedResource =>
    plannedResource(type, name, props, { urn: urnOf(type, name), dependencies: Object.values(deps).flat(), propertyDependencies: deps });

const T = {
    subnet: "aws:ec2/subnet:Subnet",
    nat: "aws:ec2/natGateway:NatGateway",
    table: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    assoc: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    group: "aws:eks/nodeGroup:NodeGroup",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    deployment: "kubernetes:apps/v1:Deployment",
    service: "kubernetes:core/v1:Service",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    tgb: "kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding",
} as const;
export const TYPES = T;

export interface GraphOptions {
    /** Preview: IDs and outputs unknown, joins only by property dependencies. */
    readonly preview?: boolean;
    readonly azs?: readonly string[];
    readonly nodesPerAz?: number;
    readonly maxPerAz?: number;
}

/** prod-like serving graph at 1,000 users on m5.xlarge: 3 nodes per AZ, HPAs 10/10/4. */
export function servingGraph(o: GraphOptions = {}): PlannedResource[] {
    const azs = o.azs ?? ["eu-west-2a", "eu-west-2b", "eu-west-2c"];
    const id = (s: string) => (o.preview ? UNKNOWN : s);
    const out: PlannedResource[] = [];
    azs.forEach((az, i) => {
        const pub = res(T.subnet, `public-${i}`, { availabilityZone: az, id: id(`subnet-pub-${i}`) });
        const priv = res(T.subnet, `private-${i}`, { availabilityZone: az, id: id(`subnet-priv-${i}`) });
        const nat = res(T.nat, `nat-${i}`, { subnetId: id(`subnet-pub-${i}`), id: id(`nat-${i}`) }, { subnetId: [pub.urn] });
        const table = res(T.table, `private-${i}`, { id: id(`rtb-${i}`) });
        out.push(
            pub,
            priv,
            nat,
            table,
            res(
                T.route,
                `egress-${i}`,
                { destinationCidrBlock: "0.0.0.0/0", natGatewayId: id(`nat-${i}`), routeTableId: id(`rtb-${i}`) },
                { natGatewayId: [nat.urn], routeTableId: [table.urn] },
            ),
            res(
                T.assoc,
                `private-${i}`,
                { subnetId: id(`subnet-priv-${i}`), routeTableId: id(`rtb-${i}`) },
                { subnetId: [priv.urn], routeTableId: [table.urn] },
            ),
            res(
                T.group,
                `nodes-${i}`,
                {
                    instanceTypes: ["m5.xlarge"],
                    scalingConfig: { desiredSize: o.nodesPerAz ?? 3, minSize: o.nodesPerAz ?? 3, maxSize: o.maxPerAz ?? 21 },
                    subnetIds: [id(`subnet-priv-${i}`)],
                },
                { subnetIds: [priv.urn] },
            ),
        );
    });
    const ns = { namespace: "portal" };
    const hpa = (name: string, min: number, max: number) =>
        res(T.hpa, name, { metadata: { name, ...ns }, spec: { minReplicas: min, maxReplicas: max, scaleTargetRef: { kind: "Deployment", name } } });
    const deployment = (name: string, replicas: number, env: { name: string; value: string }[] = []) =>
        res(T.deployment, name, {
            metadata: { name, ...ns },
            spec: { replicas, template: { metadata: { labels: { app: name } }, spec: { containers: [{ name, env }] } } },
        });
    out.push(
        res("aws:lb/loadBalancer:LoadBalancer", "alb", { internal: false, subnets: azs.map((_, i) => id(`subnet-pub-${i}`)) }),
        res("aws:wafv2/webAclAssociation:WebAclAssociation", "waf", {}),
        res("eks:index:Cluster", "eks", {}),
        res("aws:rds/instance:Instance", "db", { instanceClass: "db.m5.xlarge", multiAz: true, allocatedStorage: 1000 }),
        res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { automaticFailoverEnabled: true, multiAzEnabled: true, replicasPerNodeGroup: 1 }),
        deployment("django-web", 10, [{ name: "DOCUMENTS_BUCKET", value: "docs" }]),
        deployment("fastapi-api", 10),
        deployment("celery-worker", 4),
        hpa("django-web", 10, 100),
        hpa("fastapi-api", 10, 100),
        hpa("celery-worker", 4, 40),
        res(T.service, "django-web", { metadata: { name: "django-web", ...ns }, spec: { selector: { app: "django-web" } } }),
        res(T.tgb, "django-web", { metadata: { name: "django-web", ...ns }, spec: { serviceRef: { name: "django-web", port: 8000 } } }),
        res(T.pdb, "django-web", { metadata: { name: "django-web", ...ns }, spec: { maxUnavailable: 1, selector: { matchLabels: { app: "django-web" } } } }),
    );
    return out;
}

export const planOfResources = (resources: PlannedResource[], stack = "t"): Plan => ({ stack, resources, outputs: {}, violations: [] });

/** `resources` with the first resource named `name` of `type` changed by `edit` (a copy). */
export function mutate(
    resources: PlannedResource[],
    type: string,
    name: string,
    edit: (props: Record<string, unknown>, r: PlannedResource) => void,
): PlannedResource[] {
    let hit = false;
    const out = resources.map((r) => {
        if (hit || r.type !== type || r.name !== name) return r;
        hit = true;
        const copy = structuredClone(r);
        edit(copy.props, copy);
        return copy;
    });
    if (!hit) throw new Error(`no ${type} ${name} in the graph`);
    return out;
}

/** A flat stack config: the sections as Pulumi stores structured config (JSON strings). */
export function flatConfig(sections: Record<string, unknown>, region = "eu-west-2"): Record<string, string> {
    return Object.fromEntries([
        ["aws:region", region],
        ...Object.entries(sections).map(([k, v]) => [`hybrid-platform:${k}`, typeof v === "string" ? v : JSON.stringify(v)]),
    ]);
}
