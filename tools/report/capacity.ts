/**
 * Capacity review (issue #15 item 2, seed 7): users -> pods -> nodes per AZ from what the graph DECLARES
 * (node groups' instance types and scaling config, the HPAs' bounds) against what the capacity model says
 * the load needs; headroom after losing the largest AZ; the 5-year projection; the seed's own sizing checked.
 * Pure and O(n) over the resources.
 */
import type { Plan, PlannedResource } from "../offline";
import { DEFAULT_SIZING, INSTANCE_TYPES, WorkloadSizing, demandFor, evaluateSeedSizing, nodeCapacity, nodePlan, scalingPlan } from "../../model/capacity";
import { DB_CONNECTIONS_PER_POD, dbClassFor, poolConnections, storageInYear, usersInYear } from "../../model/capacityGrowth";
import { DEFAULTS } from "../../model/defaults";
import { HOURS_PER_MONTH, PriceEntry, priceOf } from "../../model/prices";
import type { CapacityProjectionYear, CapacityReport, NodeGroupCapacity } from "./types";
import { PlanIndex, arr, configSections, num, obj, str } from "./planGraph";

export type PriceLookup = (key: string, region: string) => Pick<PriceEntry, "usd"> | undefined;

const NODE_GROUP = "aws:eks/nodeGroup:NodeGroup";
const HPA = "kubernetes:autoscaling/v2:HorizontalPodAutoscaler";
const RDS = "aws:rds/instance:Instance";
/** The scaled Deployments by name (components/app/workloads): the HPAs' scaleTargetRef names. */
const SCALED = { "django-web": "djangoWeb", "fastapi-api": "fastapiApi", "celery-worker": "celeryWorker" } as const;
type Scaled = (typeof SCALED)[keyof typeof SCALED];

/** What the stack's config says about the load (config keys of model/config.ts and model/appConfig.ts). */
interface LoadConfig {
    users: number;
    targetUsers: number;
    growthYears: number;
    sizing: WorkloadSizing;
    instanceType: string;
    azCount: number;
    standby: boolean;
    initialStorageGb: number;
    annualGrowthGb: number;
    connectionsPercent: number;
}

function loadConfigOf(config: Readonly<Record<string, string>>): LoadConfig {
    const { project } = configSections(config);
    const capacity = obj(project.capacity);
    const app = obj(project.app);
    const postgres = obj(obj(project.data).postgres);
    const alarms = obj(obj(project.observability).alarms);
    const users = num(capacity.concurrentUsers) ?? 0;
    return {
        users,
        targetUsers: Math.max(users, num(capacity.targetUsers) ?? users),
        growthYears: num(capacity.growthYears) ?? DEFAULTS.capacity.growthYears,
        sizing: { ...DEFAULT_SIZING, celeryWorkersPer500Users: num(app.celeryWorkersPer500Users) ?? DEFAULTS.app.celeryWorkersPer500Users },
        instanceType: str(app.instanceType) ?? DEFAULTS.app.instanceType,
        azCount: num(obj(project.network).azCount) ?? DEFAULTS.network.azCount,
        standby: project.role === "dr" && (str(project.drMode) ?? DEFAULTS.drMode) === "standby",
        initialStorageGb: num(postgres.initialStorageGb) ?? DEFAULTS.data.postgres.initialStorageGb,
        annualGrowthGb: num(postgres.annualGrowthGb) ?? DEFAULTS.data.postgres.annualGrowthGb,
        connectionsPercent: num(alarms.databaseConnectionsPercent) ?? DEFAULTS.observability.alarms.databaseConnectionsPercent,
    };
}

/** The AZ a node group is pinned to: its subnet's availabilityZone (an input, known in preview), else its az-index label. */
function azOf(g: PlannedResource, index: PlanIndex): string | undefined {
    const subnets = index.referenced(g, "subnetIds");
    const zones = [...new Set(subnets.map((s) => str(s.props.availabilityZone)).filter((z): z is string => !!z))];
    if (zones.length === 1) return zones[0];
    if (zones.length > 1) return undefined;
    return str(obj(g.props.labels)["portal/az-index"]);
}

export function nodeGroupsOf(index: PlanIndex): NodeGroupCapacity[] {
    return index.of(NODE_GROUP).map((g) => {
        const scaling = obj(g.props.scalingConfig);
        return {
            urn: g.urn,
            name: str(g.props.nodeGroupName) ?? g.name,
            instanceType: str(arr(g.props.instanceTypes)[0]) ?? "(unknown)",
            az: azOf(g, index),
            desired: num(scaling.desiredSize) ?? num(scaling.minSize) ?? 0,
            min: num(scaling.minSize) ?? 0,
            max: num(scaling.maxSize) ?? 0,
        };
    });
}

function hpaBoundsOf(index: PlanIndex): Partial<Record<Scaled, { min: number; max: number }>> {
    const out: Partial<Record<Scaled, { min: number; max: number }>> = {};
    for (const h of index.of(HPA)) {
        const spec = obj(h.props.spec);
        const target = str(obj(spec.scaleTargetRef).name) as keyof typeof SCALED | undefined;
        const key = target ? SCALED[target] : undefined;
        if (key) out[key] = { min: num(spec.minReplicas) ?? 1, max: num(spec.maxReplicas) ?? 0 };
    }
    return out;
}

/** Usable capacity (backend slots, CPU, memory, pods) of `nodes` nodes of each group. */
function capacityOfGroups(groups: readonly { instanceType: string; nodes: number }[]) {
    const total = { slots: 0, cpuMillis: 0, memoryMiB: 0, pods: 0 };
    for (const g of groups) {
        const t = INSTANCE_TYPES[g.instanceType];
        if (!t) continue;
        const c = nodeCapacity(t);
        total.slots += c.slots * g.nodes;
        total.cpuMillis += c.usable.cpuMillis * g.nodes;
        total.memoryMiB += c.usable.memoryMiB * g.nodes;
        total.pods += c.usable.pods * g.nodes;
    }
    return total;
}

/** Node groups by AZ (groups with no known AZ each count as their own zone). */
function byAz(groups: readonly NodeGroupCapacity[]): Map<string, NodeGroupCapacity[]> {
    const zones = new Map<string, NodeGroupCapacity[]>();
    for (const g of groups) {
        const key = g.az ?? g.urn;
        zones.set(key, [...(zones.get(key) ?? []), g]);
    }
    return zones;
}

/** 10000 -> "10,000" (without Intl, whose first use costs ~50 ms). */
const thousands = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

const perYearUsd = (hourly: number | undefined): number => (hourly ?? 0) * HOURS_PER_MONTH * 12;

export function capacityOf(plan: Plan, config: Record<string, string>, date: string, prices: PriceLookup = priceOf): CapacityReport | null {
    void date; // prices are as listed in the table; the date is the review's (kept for the entry's contract)
    const index = new PlanIndex(plan.resources);
    const groups = nodeGroupsOf(index);
    if (groups.length === 0) return null;
    const load = loadConfigOf(config);
    const region = configSections(config).region;
    const zones = byAz(groups);
    const azCount = zones.size >= 2 ? zones.size : Math.max(2, load.azCount);
    const instanceType = groups.find((g) => INSTANCE_TYPES[g.instanceType])?.instanceType ?? load.instanceType;
    const findings: string[] = [];
    for (const g of groups)
        if (!INSTANCE_TYPES[g.instanceType])
            findings.push(`Node group ${g.name} runs ${g.instanceType}, which the capacity model does not know: its capacity is not counted.`);

    const need = nodePlan(load.users, instanceType, azCount, load.sizing);
    const scaling = scalingPlan(load.users, load.targetUsers, instanceType, azCount, load.sizing);
    const hpa = hpaBoundsOf(index);
    const declaredNodes = groups.reduce((s, g) => s + g.desired, 0);

    // Headroom: the declared pods (HPA minima, what runs at rest) on the declared nodes minus the largest AZ.
    const declaredPods = {
        djangoWeb: hpa.djangoWeb?.min ?? need.pods.djangoWeb,
        fastapiApi: hpa.fastapiApi?.min ?? need.pods.fastapiApi,
        celeryWorker: hpa.celeryWorker?.min ?? need.pods.celeryWorker,
        celeryBeat: 1 as const,
    };
    const demand = demandFor(declaredPods);
    const zoneCapacity = [...zones.values()].map((gs) => capacityOfGroups(gs.map((g) => ({ instanceType: g.instanceType, nodes: g.desired }))));
    const largest = zoneCapacity.reduce((a, b) => (b.slots > a.slots ? b : a), { slots: 0, cpuMillis: 0, memoryMiB: 0, pods: 0 });
    const all = capacityOfGroups(groups.map((g) => ({ instanceType: g.instanceType, nodes: g.desired })));
    const left = {
        slots: all.slots - largest.slots,
        cpuMillis: all.cpuMillis - largest.cpuMillis,
        memoryMiB: all.memoryMiB - largest.memoryMiB,
        pods: all.pods - largest.pods,
    };
    const headroomAfterAzLoss = {
        slotsNeeded: demand.slots,
        slotsLeft: left.slots - demand.slots,
        cpuMillisLeft: left.cpuMillis - demand.cpuMillis,
        memoryMiBLeft: left.memoryMiB - demand.memoryMiB,
        fits: left.slots >= demand.slots && left.cpuMillis >= demand.cpuMillis && left.memoryMiB >= demand.memoryMiB && left.pods >= demand.pods,
    };
    if (!headroomAfterAzLoss.fits)
        findings.push(`After losing the largest AZ the declared nodes hold ${left.slots} backend slots, short of the ${demand.slots} the running pods need.`);

    const minPerAz = Math.min(...[...zones.values()].map((gs) => gs.reduce((s, g) => s + g.desired, 0)));
    const maxPerAz = Math.min(...[...zones.values()].map((gs) => gs.reduce((s, g) => s + g.max, 0)));
    if (load.standby) {
        const extra = need.nodesPerAz * azCount - declaredNodes;
        findings.push(
            `Pilot light: ${declaredNodes} nodes (${minPerAz} per AZ) run at rest; a failover to ${thousands(load.users)} users needs ${need.nodesPerAz} per AZ (+${Math.max(0, extra)} nodes) and the HPAs at ${need.pods.djangoWeb}/${need.pods.fastapiApi}/${need.pods.celeryWorker} web/api/worker pods.`,
        );
    } else {
        if (minPerAz < need.nodesPerAz)
            findings.push(
                `Declared node groups run ${minPerAz} node(s) in their smallest AZ, below the ${need.nodesPerAz} per AZ that carry ${thousands(load.users)} users after an AZ loss.`,
            );
        for (const k of Object.values(SCALED)) {
            const b = hpa[k];
            if (b && b.min < need.pods[k]) findings.push(`HPA ${k} minimum ${b.min} is below the ${need.pods[k]} pods today's users need.`);
        }
    }
    if (maxPerAz < scaling.nodesPerAz.max)
        findings.push(
            `Node groups max out at ${maxPerAz} per AZ, below the ${scaling.nodesPerAz.max} per AZ that ${thousands(load.targetUsers)} users need after an AZ loss.`,
        );
    const hpaMax = {
        djangoWeb: hpa.djangoWeb?.max ?? 0,
        fastapiApi: hpa.fastapiApi?.max ?? 0,
        celeryWorker: hpa.celeryWorker?.max ?? 0,
        celeryBeat: 1 as const,
    };
    const atMax = demandFor(hpaMax);
    const maxCapacity = capacityOfGroups(groups.map((g) => ({ instanceType: g.instanceType, nodes: g.max })));
    if (Object.keys(hpa).length > 0 && maxCapacity.slots < atMax.slots)
        findings.push(
            `The HPA maxima (${atMax.slots} backend slots) exceed what the node groups' maxima hold (${maxCapacity.slots}): pods past that stay Pending.`,
        );

    const seed = evaluateSeedSizing(load.users, load.sizing);
    const seedSizing = {
        sufficient: seed.sufficient,
        shortfallSlots: seed.shortfallSlots,
        requiredNodesPerAz: seed.requiredNodesPerAz,
        summary: seed.sufficient
            ? `The seed's ${seed.seedNodes} x m5.large (2 per AZ) hold ${seed.slotsAfterAzLoss} backend slots after losing an AZ, enough for the ${seed.slotsNeeded} that ${thousands(load.users)} users need.`
            : `The seed's ${seed.seedNodes} x m5.large (2 per AZ) leave ${seed.rawVcpuAfterAzLoss} vCPU after an AZ loss for ${seed.requestedVcpu} vCPU requested${seed.rawVcpuAfterAzLoss >= seed.requestedVcpu ? " (enough on paper)" : ""}, and only ${seed.slotsAfterAzLoss} backend slots (${seed.slotsAllAzs} with every AZ up) once kubelet reservations and DaemonSets are counted: ${seed.shortfallSlots} short of the ${seed.slotsNeeded} that ${thousands(load.users)} users need, so ${seed.requiredNodesPerAz} m5.large per AZ are needed.`,
    };

    const rds = index.of(RDS)[0];
    const configuredDb = str(rds?.props.instanceClass) ?? DEFAULTS.data.postgres.instanceClass;
    const multiAz = rds ? rds.props.multiAz === true : true;
    const initialStorage = num(rds?.props.allocatedStorage) ?? load.initialStorageGb;
    const projection: CapacityProjectionYear[] = [];
    const missing = new Set<string>();
    for (let year = 0; year <= load.growthYears; year++) {
        const users = usersInYear(Math.max(1, load.users), load.targetUsers, load.growthYears, year);
        const p = nodePlan(users, instanceType, azCount, load.sizing);
        const db = dbClassFor(poolConnections(p.pods), configuredDb, load.connectionsPercent);
        const storageGb = storageInYear(initialStorage, load.annualGrowthGb, year);
        const az = multiAz ? "multiAz" : "singleAz";
        const keys = { node: `ec2.instance.${instanceType}`, db: `rds.instance.${db.instanceClass}.${az}`, storage: `rds.storage.gp3.${az}` };
        const price = (k: string) => {
            const e = prices(k, region);
            if (!e) missing.add(k);
            return e?.usd;
        };
        const yearlyUsd = p.totalNodes * perYearUsd(price(keys.node)) + perYearUsd(price(keys.db)) + storageGb * (price(keys.storage) ?? 0) * 12;
        projection.push({
            year,
            users,
            nodes: p.totalNodes,
            nodesPerAz: p.nodesPerAz,
            instanceType,
            dbInstanceClass: db.instanceClass,
            storageGb,
            yearlyUsd: Math.round(yearlyUsd * 100) / 100,
        });
        if (year === load.growthYears && !db.fits)
            findings.push(
                `At ${thousands(users)} users the pods' pools (${db.connectionsNeeded} connections at ${DB_CONNECTIONS_PER_POD} per pod) exceed ${load.connectionsPercent}% of the largest ${db.instanceClass}'s max_connections (${db.maxConnections}): put a pooler (RDS Proxy or PgBouncer) in front.`,
            );
    }
    const last = projection[projection.length - 1];
    if (last && last.dbInstanceClass !== configuredDb)
        findings.push(
            `The pods' connection pools outgrow ${configuredDb} by year ${projection.find((y) => y.dbInstanceClass !== configuredDb)!.year}: ${last.dbInstanceClass} by year ${last.year} (or a pooler such as RDS Proxy keeps the class).`,
        );
    if (missing.size > 0) findings.push(`Projection costs leave out ${[...missing].join(", ")}: no price listed in model/prices for ${region}.`);

    return {
        users: load.users,
        targetUsers: load.targetUsers,
        azCount,
        pods: { djangoWeb: need.pods.djangoWeb, fastapiApi: need.pods.fastapiApi, celeryWorker: need.pods.celeryWorker, celeryBeat: 1 },
        nodeGroups: groups,
        declaredNodes,
        requiredNodesPerAz: need.nodesPerAz,
        headroomAfterAzLoss,
        seedSizing,
        projection,
        findings,
    };
}
