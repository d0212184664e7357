/**
 * The portal's workloads as plain Kubernetes objects (seed 1.2, 2, 4.1): which workloads run, their
 * pods (containers, security contexts, probes, resources), and the objects around them (service
 * account, Service, HPA, PDB, TargetGroupBinding, Ingress). Pure: values in, objects out; the
 * `AppWorkloads` component only turns them into `k8s` resources. Values that are Outputs in a
 * program (images, names of other objects) are type parameters, so tests pass plain strings.
 */
import { BACKEND_POD, BEAT_POD, HpaBounds, PodSize } from "./capacity";
import { candidateBounds } from "./release";
import { METRICS_ENDPOINTS, MetricsEndpoint, metricsAnnotations, telemetryEnvironment } from "./workloadTelemetry";

export type WorkloadName = "django-web" | "fastapi-api" | "celery-worker" | "celery-beat";
/** Workloads behind the edge (ALB on EKS, the site's ingress on-prem). */
export type ServedName = "django-web" | "fastapi-api";
export type Track = "stable" | "candidate";
/** Where the workloads run: EKS (IRSA, CSI secrets, ALB target groups) or the on-prem cluster (Secret, Ingress). */
export type Site = "eks" | "onPrem";

export const WORKLOAD_NAMES: readonly WorkloadName[] = ["django-web", "fastapi-api", "celery-worker", "celery-beat"];
export const SERVED_PORTS: Record<ServedName, number> = { "django-web": 8000, "fastapi-api": 8080 };

/** Fixed UID on EKS; OpenShift's restricted SCC assigns one from the namespace range instead. */
export const RUNTIME_UID = 10001;
export const SECRETS_MOUNT = "/mnt/secrets";
export const SECRETS_VOLUME = "runtime-secrets";
/** The SecretProviderClass the EKS pods mount (Secrets Store CSI driver, AWS provider). */
export const SECRET_PROVIDER_CLASS = "portal-runtime";

/** Annotation that tells the policy pack a Deployment runs one replica on purpose, and why. */
export const SINGLETON_ANNOTATION = "hybrid-platform/singleton";
export const SINGLETON_REASON = "celery beat: two schedulers would enqueue every periodic task twice; recreated within a minute if its node fails";

/** Pod Security Admission: the namespace rejects any pod that is not "restricted". */
/**
 * The container security context of the Pod Security "restricted" profile, as every container this program runs
 * sets it (the portal's workloads, the collector and its signing helper).
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted
 */
export const RESTRICTED_CONTAINER_SECURITY = {
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
};

export const RESTRICTED_NAMESPACE_LABELS = {
    "pod-security.kubernetes.io/enforce": "restricted",
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/warn": "restricted",
} as const;

export interface Probe {
    readonly httpGet?: { path: string; port: number; scheme?: "HTTP" | "HTTPS" };
    readonly exec?: { command: string[] };
    readonly initialDelaySeconds?: number;
    readonly periodSeconds?: number;
    readonly timeoutSeconds?: number;
    readonly failureThreshold?: number;
}

export interface Workload<I> {
    readonly name: WorkloadName;
    readonly image: I;
    /** Container port of a served workload. */
    readonly port?: number;
    readonly command?: string[];
    readonly size: PodSize;
    /** HPA bounds; none for the singleton beat. */
    readonly hpa?: HpaBounds;
    readonly probes: { readonly liveness: Probe; readonly readiness: Probe };
    /** issue #13: its Prometheus endpoint (METRICS_ENDPOINTS); none for celery-beat. */
    readonly metrics?: MetricsEndpoint;
}

export interface WorkloadImages<I> {
    readonly djangoWeb: I;
    readonly fastapiApi: I;
    readonly celeryWorker: I;
}

export type WorkloadScaling = Record<"djangoWeb" | "fastapiApi" | "celeryWorker", HpaBounds>;

const httpProbes = (port: number) => ({
    liveness: { httpGet: { path: "/healthz", port }, initialDelaySeconds: 10, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 },
    readiness: { httpGet: { path: "/readyz", port }, periodSeconds: 5, timeoutSeconds: 3, failureThreshold: 2 },
});

/**
 * The served workloads' TLS contract with their images on EKS (issue #12): serve HTTPS on the container port with a certificate
 * generated at start into the pod's tmp volume (never in an image, never in Pulumi state). Self-signed is enough: the ALB
 * does not validate target certificates, the kubelet does not verify probe certificates, and service-to-service calls are
 * authenticated by the mesh's mTLS underneath. TLS 1.2 must stay enabled for the ALB's HTTPS health checks. On-prem the
 * site's ingress still speaks HTTP to the pods (docs/mesh.md: OpenShift's reencrypt routes verify the backend certificate).
 * The probes follow: HTTPS, which the kubelet does not verify
 * (https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/#http-probes).
 */
export const SERVED_TLS_ENV = [
    { name: "SERVE_TLS", value: "self-signed" },
    { name: "TLS_CERT_DIR", value: "/tmp/tls" },
] as const;

const overTls = (probe: Probe, tls: boolean): Probe => (tls && probe.httpGet ? { ...probe, httpGet: { ...probe.httpGet, scheme: "HTTPS" } } : probe);
const celeryPing = ["sh", "-c", "celery -A portal inspect ping -d celery@$HOSTNAME --timeout 10"];

/** django-web, fastapi-api, celery-worker and the singleton celery-beat (which runs the worker image). */
export function portalWorkloads<I>(images: WorkloadImages<I>, scaling: WorkloadScaling): Workload<I>[] {
    return [
        {
            name: "django-web",
            image: images.djangoWeb,
            port: SERVED_PORTS["django-web"],
            size: BACKEND_POD,
            hpa: scaling.djangoWeb,
            probes: httpProbes(SERVED_PORTS["django-web"]),
            metrics: METRICS_ENDPOINTS["django-web"],
        },
        {
            name: "fastapi-api",
            image: images.fastapiApi,
            port: SERVED_PORTS["fastapi-api"],
            size: BACKEND_POD,
            hpa: scaling.fastapiApi,
            probes: httpProbes(SERVED_PORTS["fastapi-api"]),
            metrics: METRICS_ENDPOINTS["fastapi-api"],
        },
        {
            name: "celery-worker",
            image: images.celeryWorker,
            command: ["celery", "-A", "portal", "worker", "--loglevel=INFO", "--without-mingle"],
            size: BACKEND_POD,
            hpa: scaling.celeryWorker,
            probes: {
                liveness: { exec: { command: celeryPing }, periodSeconds: 60, timeoutSeconds: 20, failureThreshold: 3 },
                readiness: { exec: { command: celeryPing }, periodSeconds: 30, timeoutSeconds: 20, failureThreshold: 2 },
            },
            metrics: METRICS_ENDPOINTS["celery-worker"],
        },
        {
            // A singleton: two schedulers would enqueue every periodic task twice. If its pod or node
            // dies, periodic tasks are not enqueued until Kubernetes recreates it (the short
            // not-ready/unreachable tolerations below bound that to about a minute); ticks missed in
            // that gap are not replayed, so periodic tasks must be idempotent and catch up on their next run.
            name: "celery-beat",
            image: images.celeryWorker,
            command: ["celery", "-A", "portal", "beat", "--loglevel=INFO", "--schedule=/tmp/celerybeat-schedule"],
            size: BEAT_POD,
            probes: {
                liveness: {
                    exec: { command: ["sh", "-c", "find /tmp/celerybeat-schedule -mmin -5 | grep -q ."] },
                    initialDelaySeconds: 60,
                    periodSeconds: 60,
                    failureThreshold: 3,
                },
                readiness: { exec: { command: ["sh", "-c", "test -f /tmp/celerybeat-schedule"] }, initialDelaySeconds: 10, periodSeconds: 30 },
            },
        },
    ];
}

export interface TrackPlan<I> {
    readonly track: Track;
    readonly image: I;
    readonly hpa?: HpaBounds;
}

/**
 * The tracks a workload runs: stable, plus a candidate when one is given under canary or blue-green
 * for a scaled workload on EKS (only the ALB's weighted target groups can split traffic between them).
 */
export function releaseTracks<I>(
    w: Workload<I>,
    release: { strategy: "rolling" | "canary" | "blueGreen"; canaryWeight: number; candidate?: I; site: Site },
): TrackPlan<I>[] {
    const stable: TrackPlan<I> = { track: "stable", image: w.image, hpa: w.hpa };
    if (release.strategy === "rolling" || release.candidate === undefined || !w.hpa || release.site !== "eks") return [stable];
    return [stable, { track: "candidate", image: release.candidate, hpa: candidateBounds(release.strategy, release.canaryWeight, w.hpa) }];
}

export const deploymentNameOf = (w: WorkloadName, track: Track): string => (track === "stable" ? w : `${w}-candidate`);
export const selectorOf = (w: WorkloadName, track: Track) => ({ app: w, track });
export const labelsOf = (w: WorkloadName, track: Track) => ({ app: w, track, "app.kubernetes.io/part-of": "citizen-portal" });

export type SecretVolume =
    | { name: string; csi: { driver: string; readOnly: boolean; volumeAttributes: Record<string, string> } }
    | { name: string; secret: { secretName: string; defaultMode: number } };

/** Secrets reach the pods as files in a read-only volume, never as env literals. */
export function secretVolume(site: { kind: "eks" } | { kind: "onPrem"; runtimeSecretName: string }): SecretVolume {
    return site.kind === "eks"
        ? {
              name: SECRETS_VOLUME,
              csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: SECRET_PROVIDER_CLASS } },
          }
        : { name: SECRETS_VOLUME, secret: { secretName: site.runtimeSecretName, defaultMode: 0o440 } };
}

/** The SecretProviderClass `objects` parameter: the two secrets, mounted under the names the app reads. */
export function secretProviderObjects(databaseSecretArn: string, redisAuthSecretArn: string): string {
    return JSON.stringify([
        { objectName: databaseSecretArn, objectType: "secretsmanager", objectAlias: "database" },
        { objectName: redisAuthSecretArn, objectType: "secretsmanager", objectAlias: "redis" },
    ]);
}

/** A service account without a mounted token; on EKS bound to its IRSA role, on-prem pulling with the site's pull secret. */
export function serviceAccountObject<V>(w: WorkloadName, site: { kind: "eks"; irsaRoleArn: V } | { kind: "onPrem"; imagePullSecretName: string }) {
    return {
        metadata: {
            name: w,
            annotations:
                site.kind === "eks" ? { "eks.amazonaws.com/role-arn": site.irsaRoleArn, "eks.amazonaws.com/sts-regional-endpoints": "true" } : undefined,
        },
        automountServiceAccountToken: false,
        imagePullSecrets: site.kind === "eks" ? undefined : [{ name: site.imagePullSecretName }],
    };
}

/** What a pod needs besides its workload and track. */
export interface PodContext<V> {
    readonly site: Site;
    readonly serviceAccountName: V;
    /** Non-secret runtime settings, in order. */
    readonly environment: readonly { name: string; value: V }[];
    readonly secretVolume: SecretVolume;
    /** issue #13: OTLP/gRPC endpoint and sampling of the cluster's collector (model/collection.ts collectorEnvironment). @default none: no tracing env */
    readonly telemetry?: readonly { name: string; value: string }[];
}

/** The pod of one track: non-root, read-only root, no capabilities, spread across zones and nodes. */
export function podSpec<I, V>(w: Workload<I>, t: TrackPlan<I>, ctx: PodContext<V>) {
    const onEks = ctx.site === "eks";
    const singleton = w.hpa === undefined;
    const selector = selectorOf(w.name, t.track);
    return {
        serviceAccountName: ctx.serviceAccountName,
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
                ports:
                    w.port || w.metrics
                        ? [
                              ...(w.port ? [{ name: "http", containerPort: w.port }] : []),
                              ...(w.metrics ? [{ name: "metrics", containerPort: w.metrics.port }] : []),
                          ]
                        : undefined,
                env: [
                    ...ctx.environment.map(({ name, value }) => ({ name, value })),
                    ...(w.port && ctx.site === "eks" ? SERVED_TLS_ENV : []),
                    { name: "DATABASE_CREDENTIALS_FILE", value: `${SECRETS_MOUNT}/database` },
                    { name: "REDIS_AUTH_FILE", value: `${SECRETS_MOUNT}/redis` },
                    { name: "RELEASE_TRACK", value: t.track },
                    ...(ctx.telemetry ? [...ctx.telemetry, ...telemetryEnvironment(w.name, w.metrics, t.track, ctx.site)] : []),
                ],
                resources: {
                    // Memory limit = request: no pod uses memory the scheduler did not reserve (no node-pressure evictions); CPU may burst to 2x.
                    requests: { cpu: `${w.size.cpuMillis}m`, memory: `${w.size.memoryMiB}Mi` },
                    limits: { cpu: `${w.size.cpuMillis * 2}m`, memory: `${w.size.memoryMiB}Mi` },
                },
                livenessProbe: overTls(w.probes.liveness, w.port !== undefined && ctx.site === "eks"),
                readinessProbe: overTls(w.probes.readiness, w.port !== undefined && ctx.site === "eks"),
                securityContext: RESTRICTED_CONTAINER_SECURITY,
                volumeMounts: [
                    { name: SECRETS_VOLUME, mountPath: SECRETS_MOUNT, readOnly: true },
                    { name: "tmp", mountPath: "/tmp" },
                ],
            },
        ],
        volumes: [ctx.secretVolume, { name: "tmp", emptyDir: { sizeLimit: "256Mi" } }],
    };
}

/** The Deployment of one track (metadata without the namespace, which the component adds). */
export function deploymentObject<I, V>(w: Workload<I>, t: TrackPlan<I>, ctx: PodContext<V>) {
    const singleton = w.hpa === undefined;
    const labels = labelsOf(w.name, t.track);
    return {
        metadata: {
            name: deploymentNameOf(w.name, t.track),
            labels,
            // Declares the deliberate single replica to the policy pack (policy/availability.ts SINGLETON_ANNOTATION).
            annotations: singleton ? { [SINGLETON_ANNOTATION]: SINGLETON_REASON } : undefined,
        },
        spec: {
            // HPA owns replicas of scaled workloads; beat is exactly one.
            replicas: singleton ? 1 : t.hpa!.min,
            revisionHistoryLimit: 5,
            selector: { matchLabels: selectorOf(w.name, t.track) },
            strategy: singleton ? { type: "Recreate" } : { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } },
            template: { metadata: { labels, ...(w.metrics ? { annotations: metricsAnnotations(w.metrics) } : {}) }, spec: podSpec(w, t, ctx) },
        },
    };
}

/** One pod at a time during drains; for the singleton beat this documents, rather than blocks, its gap. */
export const disruptionBudgetSpec = (w: WorkloadName, track: Track) => ({ maxUnavailable: 1, selector: { matchLabels: selectorOf(w, track) } });

/** HPA on CPU and memory utilisation of requests; scale-down damped so a short lull does not drop warm pods. */
export function autoscalerSpec<V>(deploymentName: V, hpa: HpaBounds, targets: { cpuPercent: number; memoryPercent: number }) {
    return {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: deploymentName },
        minReplicas: hpa.min,
        maxReplicas: hpa.max,
        metrics: [
            { type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: targets.cpuPercent } } },
            { type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: targets.memoryPercent } } },
        ],
        behavior: { scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 20, periodSeconds: 60 }] } },
    };
}

export const serviceSpec = (w: WorkloadName, track: Track, port: number) => ({
    type: "ClusterIP",
    selector: selectorOf(w, track),
    ports: [{ name: "http", port, targetPort: "http", protocol: "TCP" }],
});

/** The LB controller registers the Service's pod IPs in an ALB target group declared by AppCluster. */
export function targetGroupBindingSpec<V>(serviceName: V, port: number, targetGroupArn: V) {
    // No `networking` block: the ALB -> node security group rule is managed by AppCluster, not the controller.
    return { serviceRef: { name: serviceName, port }, targetGroupARN: targetGroupArn, targetType: "ip" };
}

/** On-prem: the site's ingress controller (OpenShift router / Rancher nginx) terminates TLS; /api to FastAPI, the rest to Django. */
export function onPremIngressObject(ingressClassName: string, hostname: string) {
    return { metadata: { name: "citizen-portal" }, spec: onPremIngressSpec(ingressClassName, hostname) };
}

function onPremIngressSpec(ingressClassName: string, hostname: string) {
    return {
        ingressClassName,
        tls: [{ hosts: [hostname], secretName: "citizen-portal-tls" }],
        rules: [
            {
                host: hostname,
                http: {
                    paths: [
                        { path: "/api", pathType: "Prefix", backend: { service: { name: "fastapi-api", port: { number: SERVED_PORTS["fastapi-api"] } } } },
                        { path: "/", pathType: "Prefix", backend: { service: { name: "django-web", port: { number: SERVED_PORTS["django-web"] } } } },
                    ],
                },
            },
        ],
    };
}
