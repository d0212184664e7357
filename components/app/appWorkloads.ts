/**
 * The citizen portal's Kubernetes workloads (seed 1.2, 2, 4.1): one code path for EKS and for the
 * on-prem OpenShift/Rancher cluster; the differences are explicit in `WorkloadPlatform`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { BACKEND_POD, BEAT_POD, HpaBounds } from "../../model/capacity";

import { APP_NAMESPACE, POSTGRES_PORT, REDIS_PORT } from "../../model/ports";
import { DEFAULTS } from "../../model/defaults";

export { APP_NAMESPACE };
export const OPERATOR_GROUP = "portal-operators";
export const DEPLOYER_GROUP = "portal-deployers";

/** Where the workloads run, and what differs between the sites. */
export type WorkloadPlatform =
    | {
          readonly kind: "eks";
          /** IAM role per service account (IRSA annotation). */
          readonly irsaRoleArns: Record<WorkloadName, pulumi.Input<string>>;
          /** Secrets Manager ARNs mounted through the Secrets Store CSI driver (AWS provider, IRSA). */
          readonly databaseSecretArn: pulumi.Input<string>;
          readonly redisAuthSecretArn: pulumi.Input<string>;
          /** Region of the secrets. */
          readonly region: string;
          /** Subnet CIDRs of the ALB: the only sources admitted to web/api (ip targets: the ALB connects to pod IPs). */
          readonly albSourceCidrs: string[];
          /** ALB target groups per service and track, bound through the LB controller's TargetGroupBinding. */
          readonly targetGroupArns: Partial<Record<`${ServedName}:${Track}`, pulumi.Input<string>>>;
      }
    | {
          readonly kind: "onPrem";
          /** Pre-provisioned Secret with keys "database" and "redis" (no IRSA on-prem). */
          readonly runtimeSecretName: string;
          readonly imagePullSecretName: string;
          readonly ingressClassName: string;
          readonly ingressNamespace: string;
          readonly hostname: string;
      };

/** Annotation that tells the policy pack a Deployment runs one replica on purpose, and why. */
export const SINGLETON_ANNOTATION = "hybrid-platform/singleton";
export const SINGLETON_REASON = "celery beat: two schedulers would enqueue every periodic task twice; recreated within a minute if its node fails";

export type WorkloadName = "django-web" | "fastapi-api" | "celery-worker" | "celery-beat";
export type ServedName = "django-web" | "fastapi-api";
export type Track = "stable" | "candidate";

export interface WorkloadImages {
    readonly djangoWeb: pulumi.Input<string>;
    readonly fastapiApi: pulumi.Input<string>;
    readonly celeryWorker: pulumi.Input<string>;
}

export interface AppWorkloadsArgs {
    /** EKS (IRSA, CSI secrets, TargetGroupBindings) or on-prem (Secret, Ingress). Required. */
    readonly platform: WorkloadPlatform;
    /** Full image references of the stable track. Required. */
    readonly images: WorkloadImages;
    /** Candidate images (canary / blue-green) for the served workloads; a candidate track exists only for those given. Default none. */
    readonly candidateImages?: Partial<Pick<WorkloadImages, "djangoWeb" | "fastapiApi">>;
    /** blueGreen sizes the candidate like stable; canary runs it at `canaryWeight` % of stable. Default "rolling" (no candidate). */
    readonly strategy?: "rolling" | "canary" | "blueGreen";
    /** Percentage of traffic (and of replicas) for a canary. Default 10. */
    readonly canaryWeight?: number;
    /** HPA bounds per scaled workload (from the capacity model). Required. */
    readonly scaling: Record<"djangoWeb" | "fastapiApi" | "celeryWorker", HpaBounds>;
    /** HPA CPU / memory utilisation targets, percent of requests. Default 70 / 80. */
    readonly targetCpuPercent?: number;
    readonly targetMemoryPercent?: number;
    /** CIDRs of the database and Redis (isolated tier; over the VPN from on-prem). Required. */
    readonly dataCidrs: string[];
    /** Non-secret runtime settings (hosts, bucket, region). Default none. */
    readonly environment?: Record<string, pulumi.Input<string>>;
    /** Resources the workloads need first (Helm releases installing CRDs and drivers). Default none. */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

interface WorkloadSpec {
    readonly name: WorkloadName;
    readonly image: pulumi.Input<string>;
    readonly port?: number;
    readonly command?: string[];
    readonly size: { cpuMillis: number; memoryMiB: number };
    readonly hpa?: HpaBounds;
    readonly probes: { liveness: k8s.types.input.core.v1.Probe; readiness: k8s.types.input.core.v1.Probe };
}

const RUNTIME_UID = 10001;
const SECRETS_MOUNT = "/mnt/secrets";
export const SERVED_PORTS: Record<ServedName, number> = { "django-web": 8000, "fastapi-api": 8080 };

const httpProbes = (port: number) => ({
    liveness: { httpGet: { path: "/healthz", port }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
    readiness: { httpGet: { path: "/readyz", port }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 },
});

/**
 * Namespaces, Deployments, Services, HPAs, PDBs, NetworkPolicies, RBAC and secret plumbing for
 * django-web, fastapi-api, celery-worker and celery-beat.
 */
export class AppWorkloads extends pulumi.ComponentResource {
    readonly namespace: pulumi.Output<string>;
    readonly deploymentNames: pulumi.Output<string>[];

    constructor(name: string, args: AppWorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("hybrid:app:AppWorkloads", name, {}, opts);
        const platform = args.platform;
        const onEks = platform.kind === "eks";
        const deps = { parent: this, dependsOn: args.dependsOn };

        const ns = new k8s.core.v1.Namespace(
            `${name}-ns`,
            {
                metadata: {
                    name: APP_NAMESPACE,
                    // Pod Security Admission rejects any pod that is not "restricted".
                    labels: { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted" },
                },
            },
            { parent: this },
        );
        const namespace = ns.metadata.name;
        this.namespace = namespace;

        const workloads: WorkloadSpec[] = [
            { name: "django-web", image: args.images.djangoWeb, port: SERVED_PORTS["django-web"], size: BACKEND_POD, hpa: args.scaling.djangoWeb, probes: httpProbes(SERVED_PORTS["django-web"]) },
            { name: "fastapi-api", image: args.images.fastapiApi, port: SERVED_PORTS["fastapi-api"], size: BACKEND_POD, hpa: args.scaling.fastapiApi, probes: httpProbes(SERVED_PORTS["fastapi-api"]) },
            {
                name: "celery-worker",
                image: args.images.celeryWorker,
                command: ["celery", "-A", "portal", "worker", "--loglevel=INFO", "--without-mingle"],
                size: BACKEND_POD,
                hpa: args.scaling.celeryWorker,
                probes: {
                    liveness: { exec: { command: ["sh", "-c", "celery -A portal inspect ping -d celery@$HOSTNAME --timeout 10"] }, periodSeconds: 60, timeoutSeconds: 20, failureThreshold: 3 },
                    readiness: { exec: { command: ["sh", "-c", "celery -A portal inspect ping -d celery@$HOSTNAME --timeout 10"] }, periodSeconds: 30, timeoutSeconds: 20, failureThreshold: 2 },
                },
            },
            {
                // A singleton: two schedulers would enqueue every periodic task twice. If its pod or node
                // dies, periodic tasks are not enqueued until Kubernetes recreates it (the short
                // not-ready/unreachable tolerations below bound that to about a minute); ticks missed in
                // that gap are not replayed, so periodic tasks must be idempotent and catch up on their next run.
                name: "celery-beat",
                image: args.images.celeryWorker,
                command: ["celery", "-A", "portal", "beat", "--loglevel=INFO", "--schedule=/tmp/celerybeat-schedule"],
                size: BEAT_POD,
                probes: {
                    liveness: { exec: { command: ["sh", "-c", "find /tmp/celerybeat-schedule -mmin -5 | grep -q ."] }, initialDelaySeconds: 60, periodSeconds: 60, failureThreshold: 3 },
                    readiness: { exec: { command: ["sh", "-c", "test -f /tmp/celerybeat-schedule"] }, initialDelaySeconds: 10, periodSeconds: 30 },
                },
            },
        ];

        // Secrets: files in a read-only volume, never env literals.
        let secretVolume: k8s.types.input.core.v1.Volume;
        const secretDeps: pulumi.Resource[] = [];
        if (onEks) {
            const spc = new k8s.apiextensions.CustomResource(
                `${name}-secrets`,
                {
                    apiVersion: "secrets-store.csi.x-k8s.io/v1",
                    kind: "SecretProviderClass",
                    metadata: { name: "portal-runtime", namespace },
                    spec: {
                        provider: "aws",
                        parameters: {
                            // Explicit: nodes' IMDS is out of reach of pods (hop limit 1), so nothing is discovered from it.
                            region: platform.region,
                            objects: pulumi
                                .all([platform.databaseSecretArn, platform.redisAuthSecretArn])
                                .apply(([db, redis]) => JSON.stringify([{ objectName: db, objectType: "secretsmanager", objectAlias: "database" }, { objectName: redis, objectType: "secretsmanager", objectAlias: "redis" }])),
                        },
                    },
                },
                deps,
            );
            secretDeps.push(spc);
            secretVolume = { name: "runtime-secrets", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "portal-runtime" } } };
        } else {
            secretVolume = { name: "runtime-secrets", secret: { secretName: platform.runtimeSecretName, defaultMode: 0o440 } };
        }

        const strategy = args.strategy ?? "rolling";
        const canaryWeight = args.canaryWeight ?? DEFAULTS.app.release.canaryWeight;
        const candidateOf: Partial<Record<WorkloadName, pulumi.Input<string>>> =
            strategy === "rolling" ? {} : { "django-web": args.candidateImages?.djangoWeb, "fastapi-api": args.candidateImages?.fastapiApi };

        this.deploymentNames = [];
        for (const w of workloads) {
            const sa = new k8s.core.v1.ServiceAccount(
                `${name}-${w.name}`,
                {
                    metadata: {
                        name: w.name,
                        namespace,
                        annotations: onEks ? { "eks.amazonaws.com/role-arn": platform.irsaRoleArns[w.name], "eks.amazonaws.com/sts-regional-endpoints": "true" } : undefined,
                    },
                    automountServiceAccountToken: false,
                    imagePullSecrets: onEks ? undefined : [{ name: platform.imagePullSecretName }],
                },
                { parent: this },
            );
            const tracks: { track: Track; image: pulumi.Input<string>; hpa?: HpaBounds }[] = [{ track: "stable", image: w.image, hpa: w.hpa }];
            const candidate = candidateOf[w.name];
            if (candidate !== undefined && w.hpa && onEks) {
                const scale = (n: number) => (strategy === "blueGreen" ? n : Math.max(1, Math.ceil((n * canaryWeight) / 100)));
                tracks.push({ track: "candidate", image: candidate, hpa: { min: scale(w.hpa.min), max: Math.max(scale(w.hpa.min), scale(w.hpa.max)) } });
            }
            for (const t of tracks) {
                const deploymentName = t.track === "stable" ? w.name : `${w.name}-candidate`;
                const labels = { app: w.name, track: t.track, "app.kubernetes.io/part-of": "citizen-portal" };
                const selector = { app: w.name, track: t.track };
                const singleton = w.hpa === undefined;
                const deployment = new k8s.apps.v1.Deployment(
                    `${name}-${deploymentName}`,
                    {
                        metadata: {
                            name: deploymentName,
                            namespace,
                            labels,
                            // Declares the deliberate single replica to the policy pack (policy/availability.ts SINGLETON_ANNOTATION).
                            annotations: singleton ? { [SINGLETON_ANNOTATION]: SINGLETON_REASON } : undefined,
                        },
                        spec: {
                            // HPA owns replicas of scaled workloads; beat is exactly one.
                            replicas: singleton ? 1 : t.hpa!.min,
                            revisionHistoryLimit: 5,
                            selector: { matchLabels: selector },
                            strategy: singleton ? { type: "Recreate" } : { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
                            template: {
                                metadata: { labels },
                                spec: {
                                    serviceAccountName: sa.metadata.name,
                                    automountServiceAccountToken: false,
                                    securityContext: {
                                        runAsNonRoot: true,
                                        // OpenShift's restricted SCC assigns the UID from the namespace range: no fixed UID on-prem.
                                        ...(onEks ? { runAsUser: RUNTIME_UID, runAsGroup: RUNTIME_UID, fsGroup: RUNTIME_UID } : {}),
                                        seccompProfile: { type: "RuntimeDefault" },
                                    },
                                    topologySpreadConstraints: [
                                        {
                                            maxSkew: 1,
                                            topologyKey: "topology.kubernetes.io/zone",
                                            // On-prem nodes may carry no zone label: spread when possible rather than refuse to schedule.
                                            whenUnsatisfiable: onEks ? "DoNotSchedule" : "ScheduleAnyway",
                                            labelSelector: { matchLabels: selector },
                                        },
                                        { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
                                    ],
                                    tolerations: singleton
                                        ? [
                                              { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 },
                                              { key: "node.kubernetes.io/unreachable", operator: "Exists", effect: "NoExecute", tolerationSeconds: 30 },
                                          ]
                                        : undefined,
                                    containers: [
                                        {
                                            name: w.name,
                                            image: t.image,
                                            command: w.command,
                                            ports: w.port ? [{ name: "http", containerPort: w.port }] : undefined,
                                            env: [
                                                ...Object.entries(args.environment ?? {}).map(([k, value]) => ({ name: k, value })),
                                                { name: "DATABASE_CREDENTIALS_FILE", value: `${SECRETS_MOUNT}/database` },
                                                { name: "REDIS_AUTH_FILE", value: `${SECRETS_MOUNT}/redis` },
                                                { name: "RELEASE_TRACK", value: t.track },
                                            ],
                                            resources: {
                                                requests: { cpu: `${w.size.cpuMillis}m`, memory: `${w.size.memoryMiB}Mi` },
                                                limits: { cpu: `${w.size.cpuMillis * 2}m`, memory: `${w.size.memoryMiB}Mi` },
                                            },
                                            livenessProbe: w.probes.liveness,
                                            readinessProbe: w.probes.readiness,
                                            securityContext: {
                                                allowPrivilegeEscalation: false,
                                                privileged: false,
                                                readOnlyRootFilesystem: true,
                                                runAsNonRoot: true,
                                                capabilities: { drop: ["ALL"] },
                                                seccompProfile: { type: "RuntimeDefault" },
                                            },
                                            volumeMounts: [
                                                { name: "runtime-secrets", mountPath: SECRETS_MOUNT, readOnly: true },
                                                { name: "tmp", mountPath: "/tmp" },
                                            ],
                                        },
                                    ],
                                    volumes: [secretVolume, { name: "tmp", emptyDir: { sizeLimit: "256Mi" } }],
                                },
                            },
                        },
                    },
                    { parent: this, dependsOn: [...secretDeps], ignoreChanges: singleton ? [] : ["spec.replicas"] },
                );
                this.deploymentNames.push(deployment.metadata.name);

                new k8s.policy.v1.PodDisruptionBudget(
                    `${name}-${deploymentName}`,
                    {
                        metadata: { name: deploymentName, namespace, labels },
                        // One pod at a time during drains; for the singleton beat this documents, rather than blocks, its gap.
                        spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
                    },
                    { parent: this },
                );

                if (t.hpa) {
                    new k8s.autoscaling.v2.HorizontalPodAutoscaler(
                        `${name}-${deploymentName}`,
                        {
                            metadata: { name: deploymentName, namespace, labels },
                            spec: {
                                scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deployment.metadata.name },
                                minReplicas: t.hpa.min,
                                maxReplicas: t.hpa.max,
                                metrics: [
                                    { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: args.targetCpuPercent ?? DEFAULTS.app.targetCpuPercent } } },
                                    { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: args.targetMemoryPercent ?? DEFAULTS.app.targetMemoryPercent } } },
                                ],
                                behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 20, periodSeconds: 60 }] } },
                            },
                        },
                        { parent: this },
                    );
                }

                if (w.port) {
                    const service = new k8s.core.v1.Service(
                        `${name}-${deploymentName}`,
                        {
                            metadata: { name: deploymentName, namespace, labels },
                            spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: w.port, targetPort: "http", protocol: "TCP" }] },
                        },
                        { parent: this },
                    );
                    if (platform.kind === "eks") {
                        const arn = platform.targetGroupArns[`${w.name as ServedName}:${t.track}`];
                        if (arn !== undefined) {
                            new k8s.apiextensions.CustomResource(
                                `${name}-${deploymentName}-tgb`,
                                {
                                    apiVersion: "elbv2.k8s.aws/v1beta1",
                                    kind: "TargetGroupBinding",
                                    metadata: { name: deploymentName, namespace },
                                    // No `networking` block: the ALB -> node security group rule is managed by AppCluster, not the controller.
                                    spec: { serviceRef: { name: service.metadata.name, port: w.port }, targetGroupARN: arn, targetType: "ip" },
                                },
                                deps,
                            );
                        }
                    }
                }
            }
        }

        if (platform.kind === "onPrem") {
            // On-prem: the site's ingress controller (OpenShift router / Rancher nginx), TLS terminated there; no ALB/WAF annotations.
            new k8s.networking.v1.Ingress(
                `${name}-ingress`,
                {
                    metadata: { name: "citizen-portal", namespace },
                    spec: {
                        ingressClassName: platform.ingressClassName,
                        tls: [{ hosts: [platform.hostname], secretName: "citizen-portal-tls" }],
                        rules: [
                            {
                                host: platform.hostname,
                                http: {
                                    paths: [
                                        { path: "/api", pathType: "Prefix", backend: { service: { name: "fastapi-api", port: { number: SERVED_PORTS["fastapi-api"] } } } },
                                        { path: "/", pathType: "Prefix", backend: { service: { name: "django-web", port: { number: SERVED_PORTS["django-web"] } } } },
                                    ],
                                },
                            },
                        ],
                    },
                },
                { parent: this },
            );
        }

        this.networkPolicies(name, namespace, args);
        this.rbac(name, namespace);
        this.registerOutputs({ namespace: this.namespace, deploymentNames: this.deploymentNames });
    }

    /** Default deny, then exactly the flows each service needs. */
    private networkPolicies(name: string, namespace: pulumi.Output<string>, args: AppWorkloadsArgs): void {
        const np = (suffix: string, spec: k8s.types.input.networking.v1.NetworkPolicySpec) =>
            new k8s.networking.v1.NetworkPolicy(`${name}-${suffix}`, { metadata: { name: suffix, namespace }, spec }, { parent: this });
        np("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        // CoreDNS in kube-system on EKS; OpenShift/Rancher name and label their DNS differently, so on-prem any namespace's port 53.
        const dnsPeer = args.platform.kind === "eks" ? { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } } : { namespaceSelector: {} };
        np("allow-dns", {
            podSelector: {},
            policyTypes: ["Egress"],
            egress: [
                {
                    to: [dnsPeer],
                    ports: [
                        { protocol: "UDP", port: 53 },
                        { protocol: "TCP", port: 53 },
                    ],
                },
            ],
        });
        const platform = args.platform;
        for (const served of ["django-web", "fastapi-api"] as ServedName[]) {
            const from =
                platform.kind === "eks"
                    ? platform.albSourceCidrs.map((cidr) => ({ ipBlock: { cidr } }))
                    : [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": platform.ingressNamespace } } }];
            np(`allow-ingress-to-${served}`, {
                podSelector: { matchLabels: { app: served } },
                policyTypes: ["Ingress"],
                ingress: [{ from, ports: [{ protocol: "TCP", port: SERVED_PORTS[served] }] }],
            });
        }
        np("allow-app-to-data", {
            podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["django-web", "fastapi-api", "celery-worker", "celery-beat"] }] },
            policyTypes: ["Egress"],
            egress: [
                {
                    to: args.dataCidrs.map((cidr) => ({ ipBlock: { cidr } })),
                    ports: [
                        { protocol: "TCP", port: POSTGRES_PORT },
                        { protocol: "TCP", port: REDIS_PORT },
                    ],
                },
            ],
        });
        np("allow-app-to-aws-apis", {
            // HTTPS to AWS APIs (S3 gateway endpoint and STS/Secrets Manager): public service ranges, never other private hosts.
            podSelector: { matchExpressions: [{ key: "app", operator: "In", values: ["django-web", "fastapi-api", "celery-worker", "celery-beat"] }] },
            policyTypes: ["Egress"],
            egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] } }], ports: [{ protocol: "TCP", port: 443 }] }],
        });
    }

    /** Read-only operators (no Secrets) and a namespaced CI deployer that can roll images but not touch RBAC or Secrets. */
    private rbac(name: string, namespace: pulumi.Output<string>): void {
        const readOnly = new k8s.rbac.v1.ClusterRole(
            `${name}-operator-readonly`,
            {
                metadata: { name: "portal-operator-readonly" },
                rules: [
                    { apiGroups: [""], resources: ["pods", "pods/log", "services", "endpoints", "events", "namespaces", "nodes", "configmaps"], verbs: ["get", "list", "watch"] },
                    { apiGroups: ["apps"], resources: ["deployments", "replicasets", "daemonsets", "statefulsets"], verbs: ["get", "list", "watch"] },
                    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: ["get", "list", "watch"] },
                    { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: ["get", "list", "watch"] },
                    { apiGroups: ["networking.k8s.io"], resources: ["networkpolicies", "ingresses"], verbs: ["get", "list", "watch"] },
                ],
            },
            { parent: this },
        );
        new k8s.rbac.v1.ClusterRoleBinding(
            `${name}-operator-readonly`,
            { metadata: { name: "portal-operator-readonly" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: readOnly.metadata.name }, subjects: [{ kind: "Group", name: OPERATOR_GROUP, apiGroup: "rbac.authorization.k8s.io" }] },
            { parent: this },
        );
        const deployer = new k8s.rbac.v1.Role(
            `${name}-ci-deployer`,
            {
                metadata: { name: "portal-ci-deployer", namespace },
                rules: [
                    { apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list", "watch", "patch", "update"] },
                    { apiGroups: ["apps"], resources: ["replicasets"], verbs: ["get", "list", "watch"] },
                    { apiGroups: [""], resources: ["pods", "pods/log", "services", "events"], verbs: ["get", "list", "watch"] },
                    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: ["get", "list", "watch"] },
                ],
            },
            { parent: this },
        );
        new k8s.rbac.v1.RoleBinding(
            `${name}-ci-deployer`,
            { metadata: { name: "portal-ci-deployer", namespace }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: deployer.metadata.name }, subjects: [{ kind: "Group", name: DEPLOYER_GROUP, apiGroup: "rbac.authorization.k8s.io" }] },
            { parent: this },
        );
    }
}
