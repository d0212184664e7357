/**
 * Capacity model (seed section 7), pure: concurrent users -> pods -> requested vCPU and memory
 * -> worker nodes per AZ, sized so that the cluster still carries the load after losing any one AZ.
 *
 * Units: CPU in millicores, memory in MiB. Nothing here touches Pulumi.
 */

/** What the kubelet of one EKS worker can hand to pods. */
export interface InstanceType {
    readonly name: string;
    readonly vcpu: number;
    readonly memoryMiB: number;
    /** Max pods with the VPC CNI without prefix delegation: ENIs * (IPs per ENI - 1) + 2. */
    readonly maxPods: number;
}

/** General-purpose types the node groups may use (EC2 instance specs; max pods from the EKS eni-max-pods table). */
export const INSTANCE_TYPES: Readonly<Record<string, InstanceType>> = {
    "m5.large": { name: "m5.large", vcpu: 2, memoryMiB: 8 * 1024, maxPods: 29 },
    "m5.xlarge": { name: "m5.xlarge", vcpu: 4, memoryMiB: 16 * 1024, maxPods: 58 },
    "m5.2xlarge": { name: "m5.2xlarge", vcpu: 8, memoryMiB: 32 * 1024, maxPods: 58 },
    "m5.4xlarge": { name: "m5.4xlarge", vcpu: 16, memoryMiB: 64 * 1024, maxPods: 234 },
    "m6i.xlarge": { name: "m6i.xlarge", vcpu: 4, memoryMiB: 16 * 1024, maxPods: 58 },
    "m6i.2xlarge": { name: "m6i.2xlarge", vcpu: 8, memoryMiB: 32 * 1024, maxPods: 58 },
    "m7i.xlarge": { name: "m7i.xlarge", vcpu: 4, memoryMiB: 16 * 1024, maxPods: 58 },
    "m7i.2xlarge": { name: "m7i.2xlarge", vcpu: 8, memoryMiB: 32 * 1024, maxPods: 58 },
};

export type InstanceTypeName = keyof typeof INSTANCE_TYPES;

/** A container's requests (what the scheduler packs by). */
export interface PodSize {
    readonly cpuMillis: number;
    readonly memoryMiB: number;
}

/** Seed section 7: a backend pod is 0.5 vCPU / 1 GiB. Celery workers use the same size. */
export const BACKEND_POD: PodSize = { cpuMillis: 500, memoryMiB: 1024 };
/** celery-beat only enqueues scheduled tasks. */
export const BEAT_POD: PodSize = { cpuMillis: 100, memoryMiB: 256 };

/** DaemonSets on every node (requests): VPC CNI, kube-proxy, EBS CSI node, Secrets Store CSI driver + AWS provider, log shipper. */
export const DAEMONSETS: readonly (PodSize & { name: string })[] = [
    { name: "aws-node", cpuMillis: 25, memoryMiB: 0 },
    { name: "kube-proxy", cpuMillis: 100, memoryMiB: 0 },
    { name: "ebs-csi-node", cpuMillis: 30, memoryMiB: 120 },
    { name: "secrets-store-csi-driver", cpuMillis: 50, memoryMiB: 100 },
    { name: "secrets-store-csi-provider-aws", cpuMillis: 50, memoryMiB: 100 },
    { name: "log-shipper", cpuMillis: 100, memoryMiB: 200 },
];

/** Cluster add-ons that run as Deployments (requests x replicas): CoreDNS, LB controller, metrics-server, cluster-autoscaler. */
export const ADDONS: readonly (PodSize & { name: string; replicas: number })[] = [
    { name: "coredns", cpuMillis: 100, memoryMiB: 70, replicas: 2 },
    { name: "aws-load-balancer-controller", cpuMillis: 100, memoryMiB: 128, replicas: 2 },
    { name: "metrics-server", cpuMillis: 100, memoryMiB: 200, replicas: 2 },
    { name: "cluster-autoscaler", cpuMillis: 100, memoryMiB: 300, replicas: 1 },
];

/** systemd/OS daemons reserved on top of the kubelet's kube-reserved. */
export const SYSTEM_RESERVED: PodSize = { cpuMillis: 100, memoryMiB: 100 };
/** The kubelet's hard eviction threshold (memory.available < 100Mi). */
export const EVICTION_HARD_MIB = 100;

/** kube-reserved CPU as the EKS AMI computes it: 6% of the first core, 1% of the second, 0.5% of cores 3-4, 0.25% above. */
export function kubeReservedCpuMillis(vcpu: number): number {
    const bands: [number, number][] = [
        [1, 60],
        [1, 10],
        [2, 5],
        [Infinity, 2.5],
    ];
    let left = vcpu;
    let total = 0;
    for (const [cores, perCore] of bands) {
        const used = Math.min(left, cores);
        total += used * perCore;
        left -= used;
    }
    return total;
}

/** kube-reserved memory as the EKS AMI computes it: 255 MiB + 11 MiB per pod the node can run. */
export const kubeReservedMemoryMiB = (maxPods: number): number => 255 + 11 * maxPods;

export interface NodeCapacity {
    readonly instance: InstanceType;
    /** Node allocatable (capacity - kube-reserved - system-reserved - eviction). */
    readonly allocatable: PodSize & { pods: number };
    /** What is left for workload pods after every DaemonSet. */
    readonly usable: PodSize & { pods: number };
    /** Backend-sized pods (0.5 vCPU / 1 GiB) one node holds. */
    readonly slots: number;
}

export function nodeCapacity(instance: InstanceType): NodeCapacity {
    const allocatable = {
        cpuMillis: instance.vcpu * 1000 - kubeReservedCpuMillis(instance.vcpu) - SYSTEM_RESERVED.cpuMillis,
        memoryMiB: instance.memoryMiB - kubeReservedMemoryMiB(instance.maxPods) - SYSTEM_RESERVED.memoryMiB - EVICTION_HARD_MIB,
        pods: instance.maxPods,
    };
    const daemon = DAEMONSETS.reduce((s, d) => ({ cpuMillis: s.cpuMillis + d.cpuMillis, memoryMiB: s.memoryMiB + d.memoryMiB }), {
        cpuMillis: 0,
        memoryMiB: 0,
    });
    const usable = {
        cpuMillis: allocatable.cpuMillis - daemon.cpuMillis,
        memoryMiB: allocatable.memoryMiB - daemon.memoryMiB,
        pods: allocatable.pods - DAEMONSETS.length,
    };
    const slots = Math.max(
        0,
        Math.min(Math.floor(usable.cpuMillis / BACKEND_POD.cpuMillis), Math.floor(usable.memoryMiB / BACKEND_POD.memoryMiB), usable.pods),
    );
    return { instance, allocatable, usable, slots };
}

export interface WorkloadSizing {
    /** Backend pods per 500 concurrent users. Seed: 10. */
    readonly backendPodsPer500Users: number;
    /** Celery worker pods per 500 concurrent users. Default 2. */
    readonly celeryWorkersPer500Users: number;
    /** Share of backend pods that serve the Django site (the rest serve FastAPI). Default 0.5. */
    readonly djangoShare: number;
    /** Floor on replicas of each scaled Deployment: one per AZ, so every zone serves. Default 3. */
    readonly minReplicas: number;
}

export const DEFAULT_SIZING: WorkloadSizing = { backendPodsPer500Users: 10, celeryWorkersPer500Users: 2, djangoShare: 0.5, minReplicas: 3 };

export interface PodDemand {
    readonly djangoWeb: number;
    readonly fastapiApi: number;
    readonly celeryWorker: number;
    /** Always one: a second scheduler would enqueue every periodic task twice. */
    readonly celeryBeat: 1;
}

/** Pods needed to carry `users` concurrent users. */
export function podsFor(users: number, sizing: WorkloadSizing = DEFAULT_SIZING): PodDemand {
    if (!Number.isFinite(users) || users < 0) throw new RangeError(`users must be a non-negative number, got ${users}`);
    const backend = Math.ceil((users * sizing.backendPodsPer500Users) / 500);
    const web = Math.max(sizing.minReplicas, Math.ceil(backend * sizing.djangoShare));
    const api = Math.max(sizing.minReplicas, backend - Math.ceil(backend * sizing.djangoShare));
    const workers = Math.max(sizing.minReplicas, Math.ceil((users * sizing.celeryWorkersPer500Users) / 500));
    return { djangoWeb: web, fastapiApi: api, celeryWorker: workers, celeryBeat: 1 };
}

export interface ResourceDemand extends PodSize {
    readonly pods: number;
    /** Backend-sized slots the demand occupies (small pods rounded up together). */
    readonly slots: number;
}

/** Requested CPU/memory of the pods plus the cluster add-ons. */
export function demandFor(pods: PodDemand): ResourceDemand {
    const backendSized = pods.djangoWeb + pods.fastapiApi + pods.celeryWorker;
    const small = ADDONS.reduce(
        (s, a) => ({ cpuMillis: s.cpuMillis + a.cpuMillis * a.replicas, memoryMiB: s.memoryMiB + a.memoryMiB * a.replicas, pods: s.pods + a.replicas }),
        { cpuMillis: BEAT_POD.cpuMillis, memoryMiB: BEAT_POD.memoryMiB, pods: 1 },
    );
    const smallSlots = Math.ceil(Math.max(small.cpuMillis / BACKEND_POD.cpuMillis, small.memoryMiB / BACKEND_POD.memoryMiB));
    return {
        cpuMillis: backendSized * BACKEND_POD.cpuMillis + small.cpuMillis,
        memoryMiB: backendSized * BACKEND_POD.memoryMiB + small.memoryMiB,
        pods: backendSized + small.pods,
        slots: backendSized + smallSlots,
    };
}

export interface NodePlan {
    readonly instanceType: string;
    readonly azCount: number;
    readonly users: number;
    readonly pods: PodDemand;
    readonly demand: ResourceDemand;
    /** Nodes in each AZ (every AZ the same). */
    readonly nodesPerAz: number;
    readonly totalNodes: number;
    /** Nodes left after one AZ is lost, and what they hold. */
    readonly survivingNodes: number;
    readonly survivingCapacity: PodSize & { pods: number; slots: number };
}

/**
 * Nodes per AZ such that the nodes of (azCount - 1) AZs hold the whole demand:
 * losing any one AZ (its nodes and pods) leaves enough room to reschedule everything.
 */
export function nodePlan(users: number, instanceType: string, azCount: number, sizing: WorkloadSizing = DEFAULT_SIZING): NodePlan {
    const instance = INSTANCE_TYPES[instanceType];
    if (!instance) throw new RangeError(`unknown instance type ${instanceType} (known: ${Object.keys(INSTANCE_TYPES).join(", ")})`);
    if (!Number.isInteger(azCount) || azCount < 2) throw new RangeError(`surviving an AZ loss needs at least 2 AZs, got ${azCount}`);
    const node = nodeCapacity(instance);
    const pods = podsFor(users, sizing);
    const demand = demandFor(pods);
    const nodesNeeded = Math.max(
        Math.ceil(demand.slots / node.slots),
        Math.ceil(demand.cpuMillis / node.usable.cpuMillis),
        Math.ceil(demand.memoryMiB / node.usable.memoryMiB),
        Math.ceil(demand.pods / node.usable.pods),
    );
    const nodesPerAz = Math.max(1, Math.ceil(nodesNeeded / (azCount - 1)));
    return { instanceType, azCount, users, pods, demand, nodesPerAz, totalNodes: nodesPerAz * azCount, ...surviving(node, nodesPerAz, azCount) };
}

function surviving(node: NodeCapacity, nodesPerAz: number, azCount: number): Pick<NodePlan, "survivingNodes" | "survivingCapacity"> {
    const n = nodesPerAz * (azCount - 1);
    return {
        survivingNodes: n,
        survivingCapacity: { cpuMillis: n * node.usable.cpuMillis, memoryMiB: n * node.usable.memoryMiB, pods: n * node.usable.pods, slots: n * node.slots },
    };
}

/** True when `capacity` holds `demand` on every dimension. */
export const fits = (capacity: PodSize & { pods: number; slots: number }, demand: ResourceDemand): boolean =>
    capacity.cpuMillis >= demand.cpuMillis && capacity.memoryMiB >= demand.memoryMiB && capacity.pods >= demand.pods && capacity.slots >= demand.slots;

export interface HpaBounds {
    readonly min: number;
    readonly max: number;
}

export interface ScalingPlan {
    readonly djangoWeb: HpaBounds;
    readonly fastapiApi: HpaBounds;
    readonly celeryWorker: HpaBounds;
    /** Node group bounds per AZ: desired/min carry today's users after an AZ loss; max carries the target. */
    readonly nodesPerAz: { min: number; max: number };
}

/** HPA minimum from today's users, maximum from the growth target; node group bounds likewise. */
export function scalingPlan(today: number, target: number, instanceType: string, azCount: number, sizing: WorkloadSizing = DEFAULT_SIZING): ScalingPlan {
    const now = nodePlan(today, instanceType, azCount, sizing);
    const later = nodePlan(Math.max(today, target), instanceType, azCount, sizing);
    const bounds = (k: "djangoWeb" | "fastapiApi" | "celeryWorker"): HpaBounds => ({ min: now.pods[k], max: Math.max(now.pods[k], later.pods[k]) });
    return {
        djangoWeb: bounds("djangoWeb"),
        fastapiApi: bounds("fastapiApi"),
        celeryWorker: bounds("celeryWorker"),
        nodesPerAz: { min: now.nodesPerAz, max: Math.max(now.nodesPerAz, later.nodesPerAz) },
    };
}

/**
 * Pilot light (DR, seed 3.1): every scaled workload at the replica floor and one node per AZ,
 * with the HPA and node group maxima of the full plan so a failover scales up without a deploy.
 */
export function pilotLight(plan: ScalingPlan, minReplicas = DEFAULT_SIZING.minReplicas): ScalingPlan {
    const floor = (b: HpaBounds): HpaBounds => ({ min: Math.min(minReplicas, b.min), max: b.max });
    return {
        djangoWeb: floor(plan.djangoWeb),
        fastapiApi: floor(plan.fastapiApi),
        celeryWorker: floor(plan.celeryWorker),
        nodesPerAz: { min: 1, max: plan.nodesPerAz.max },
    };
}

export interface SeedSizingVerdict {
    readonly users: number;
    readonly seedNodes: number;
    readonly nodesAfterAzLoss: number;
    /** Backend-sized slots the seed's nodes offer after losing an AZ, and with all AZs up. */
    readonly slotsAfterAzLoss: number;
    readonly slotsAllAzs: number;
    readonly slotsNeeded: number;
    /** Slots missing after an AZ loss (0 when the seed suffices). */
    readonly shortfallSlots: number;
    /** Raw vCPU arithmetic, before any reservation: seed vCPU after AZ loss vs requested vCPU. */
    readonly rawVcpuAfterAzLoss: number;
    readonly requestedVcpu: number;
    /** m5.large nodes per AZ that the load actually needs. */
    readonly requiredNodesPerAz: number;
    readonly sufficient: boolean;
}

/** Evaluates the seed's footprint (2 x m5.large per AZ, 3 AZs) against the demand of `users`. */
export function evaluateSeedSizing(
    users: number,
    sizing: WorkloadSizing = DEFAULT_SIZING,
    seed = { instanceType: "m5.large", nodesPerAz: 2, azCount: 3 },
): SeedSizingVerdict {
    const node = nodeCapacity(INSTANCE_TYPES[seed.instanceType]);
    const plan = nodePlan(users, seed.instanceType, seed.azCount, sizing);
    const after = surviving(node, seed.nodesPerAz, seed.azCount);
    return {
        users,
        seedNodes: seed.nodesPerAz * seed.azCount,
        nodesAfterAzLoss: after.survivingNodes,
        slotsAfterAzLoss: after.survivingCapacity.slots,
        slotsAllAzs: node.slots * seed.nodesPerAz * seed.azCount,
        slotsNeeded: plan.demand.slots,
        shortfallSlots: Math.max(0, plan.demand.slots - after.survivingCapacity.slots),
        rawVcpuAfterAzLoss: INSTANCE_TYPES[seed.instanceType].vcpu * after.survivingNodes,
        requestedVcpu: plan.demand.cpuMillis / 1000,
        requiredNodesPerAz: plan.nodesPerAz,
        sufficient: fits(after.survivingCapacity, plan.demand),
    };
}
