/**
 * The `app:` config section: the compute layer (EKS, workloads, edge, release strategy, on-prem cluster).
 */
import { z } from "zod";
import { parseCidr } from "./cidr";
import { INSTANCE_TYPES } from "./capacity";
import { ON_PREM_DISTRIBUTIONS } from "./meshPlatforms";
import { DEFAULTS } from "./defaults";
import { KUBERNETES_VERSIONS } from "./versions";

export { KUBERNETES_VERSIONS } from "./versions";

/** ALB security policies that negotiate TLS 1.3 (seed 4.2). */
export const TLS_POLICIES = ["ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"] as const;

const imageTag = z
    .string()
    .regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "an image tag (letters, digits, _ . -; at most 128)")
    .refine((t) => t !== "latest", 'a release tag, not "latest" (tags are immutable)');
const imageDigest = z.string().regex(/^sha256:[a-f0-9]{64}$/, "an image digest sha256:<64 hex>");

/** One image: by digest (preferred: what was scanned is what runs) or by immutable tag. */
export const imageRefSchema = z
    .strictObject({
        tag: imageTag.optional().meta({ description: 'Immutable release tag, e.g. "1.4.2" (not "latest"; letters, digits, _ . -; at most 128).' }),
        digest: imageDigest.optional().meta({ description: "Content digest sha256:<64 hex>; wins over tag (what was scanned is what runs)." }),
    })
    .refine((i) => i.tag !== undefined || i.digest !== undefined, { message: "a tag or a digest" });
export type ImageRef = z.infer<typeof imageRefSchema>;

const imagesSchema = z.strictObject({
    djangoWeb: imageRefSchema.meta({
        description: "The Django site image (the bootstrap stack's ECR repository hybrid-platform/django-web): a digest (required in production) or a tag.",
    }),
    fastapiApi: imageRefSchema.meta({
        description: "The FastAPI image (the bootstrap stack's ECR repository hybrid-platform/fastapi-api): a digest (required in production) or a tag.",
    }),
    celeryWorker: imageRefSchema.meta({
        description:
            "The Celery image, run as worker and as beat (the bootstrap stack's ECR repository hybrid-platform/celery-worker): a digest (required in production) or a tag.",
    }),
});

const releaseSchema = z.strictObject({
    strategy: z.enum(["rolling", "canary", "blueGreen"]).optional().meta({
        description:
            "How new images reach users. rolling: in-place RollingUpdate (maxUnavailable 0); canary: a candidate track behind the same ALB listener takes canaryWeight % of requests; blueGreen: the candidate runs at full size and takes 100 % when promote is true. None: canary in production, rolling elsewhere (seed 5).",
    }),
    canaryWeight: z
        .number()
        .int()
        .min(1)
        .max(50)
        .default(DEFAULTS.app.release.canaryWeight)
        .meta({ description: "Percentage of requests the candidate track receives under canary." }),
    candidate: imagesSchema
        .partial()
        .optional()
        .meta({ description: "Candidate images for canary/blueGreen (any of djangoWeb, fastapiApi, celeryWorker); without them only the stable track runs." }),
    promote: z.boolean().default(DEFAULTS.app.release.promote).meta({ description: "blueGreen only: send all traffic to the candidate." }),
});

const onPremClusterSchema = z
    .strictObject({
        ingressClassName: z
            .string()
            .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "an IngressClass name")
            .default(DEFAULTS.app.onPrem.ingressClassName)
            .meta({ description: "IngressClass of the on-prem ingress controller (OpenShift router, Rancher's nginx)." }),
        storageClassName: z.string().optional().meta({ description: "StorageClass for any claims. None: the cluster's default class." }),
        runtimeSecretName: z.string().default(DEFAULTS.app.onPrem.runtimeSecretName).meta({
            description: 'Pre-provisioned Secret with the DB and Redis credentials (keys "database" and "redis"), created by the on-prem secret store.',
        }),
        imagePullSecretName: z
            .string()
            .default(DEFAULTS.app.onPrem.imagePullSecretName)
            .meta({ description: "Pre-provisioned pull secret for the registry (ECR tokens expire after 12 h: refreshed on-prem)." }),
        registryMirror: z
            .string()
            .regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/, "a registry host[/path]")
            .optional()
            .meta({ description: "Registry mirror host[/path] serving the same repositories on-prem (e.g. Harbor). None: pull from the project's ECR." }),
        hostname: z.string().optional().meta({ description: "Public hostname served on-prem (behind the DMZ load balancer / GSLB). None: dns.hostname." }),
        ingressNamespace: z
            .string()
            .default(DEFAULTS.app.onPrem.ingressNamespace)
            .meta({ description: "Namespace of the on-prem ingress controller; only its pods may reach web/api." }),
        // issue #12: no default — the mesh's CNI agent writes into host directories that differ per distribution (model/meshPlatforms.ts).
        distribution: z.enum(ON_PREM_DISTRIBUTIONS).meta({
            description:
                "The on-prem cluster's Kubernetes distribution, which decides how Istio ambient is installed there: rke2 (Rancher: standard CNI paths, istio-system labelled privileged for Pod Security) or openshift (global.platform=openshift on every chart, istio-cni and ztunnel in kube-system). Required: a wrong guess leaves the site's pods outside the mesh or breaks their networking.",
            see: "https://istio.io/latest/docs/ambient/install/platform-prerequisites/",
        }),
    })
    .meta({
        description:
            'Deploy the same workloads to the on-prem cluster too; needs the cluster\'s kubeconfig as the secret onPremKubeconfig (`pulumi config set --secret onPremKubeconfig "$(cat kubeconfig)"`). None: cloud only.',
    });

export const appSchema = z
    .strictObject({
        kubernetesVersion: z.enum(KUBERNETES_VERSIONS).default(DEFAULTS.app.kubernetesVersion).meta({
            description: "EKS Kubernetes minor version, pinned (upgrade deliberately), written in quotes. Support dates per version: model/versions.ts.",
            see: "https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html",
        }),
        instanceType: z
            .enum(Object.keys(INSTANCE_TYPES) as [string, ...string[]])
            .default(DEFAULTS.app.instanceType)
            .meta({ description: "Worker instance type; node counts come from the capacity model (an m5.large holds only two backend pods)." }),
        nodeVolumeGiB: z
            .number()
            .int()
            .min(20)
            .max(1000)
            .default(DEFAULTS.app.nodeVolumeGiB)
            .meta({ description: "Root volume of each worker in GiB (gp3, encrypted with a CMK)." }),
        images: imagesSchema.meta({ description: "The three images; each by digest or immutable tag from the project's ECR." }),
        certificateArn: z
            .string()
            .regex(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, "an ACM certificate ARN")
            .optional()
            .meta({
                description:
                    "An existing ACM certificate for the public hostname, in the stack's region (e.g. imported from the organisation's CA). None: the stack issues one and validates it by DNS in dns.zoneName.",
                see: "https://docs.aws.amazon.com/acm/latest/userguide/import-certificate.html",
            }),
        tlsPolicy: z.enum(TLS_POLICIES).default(DEFAULTS.app.tlsPolicy).meta({
            description: "TLS policy of the HTTPS listener: TLS 1.3 only by default; the TLS13-1-2 policies are an opt-out for legacy clients.",
            see: "https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html",
        }),
        endpointPublicAccessCidrs: z
            .array(z.string().refine((c) => parseCidr(c) !== undefined && parseCidr(c)!.prefix >= 16, "an IPv4 CIDR no wider than /16"))
            .default(DEFAULTS.app.endpointPublicAccessCidrs)
            .meta({
                description:
                    "CIDRs (no wider than /16) allowed to reach the EKS API endpoint publicly. Empty: private endpoint only, so `pulumi up` must run from inside the VPC, over the VPN or from a runner in the private tier.",
                see: "https://docs.aws.amazon.com/eks/latest/userguide/cluster-endpoint.html",
            }),
        celeryWorkersPer500Users: z
            .number()
            .int()
            .min(1)
            .max(50)
            .default(DEFAULTS.app.celeryWorkersPer500Users)
            .meta({ description: "Celery workers per 500 concurrent users (0.5 vCPU / 1 GiB each)." }),
        targetCpuPercent: z
            .number()
            .int()
            .min(30)
            .max(90)
            .default(DEFAULTS.app.targetCpuPercent)
            .meta({ description: "HPA target CPU utilisation, percent of requests (the seed alerts at 80 %)." }),
        targetMemoryPercent: z
            .number()
            .int()
            .min(30)
            .max(95)
            .default(DEFAULTS.app.targetMemoryPercent)
            .meta({ description: "HPA target memory utilisation, percent of requests." }),
        wafRateLimit: z.number().int().min(100).max(2_000_000_000).default(DEFAULTS.app.wafRateLimit).meta({
            description: "WAF rate-based rule: requests per client IP per 5 minutes before blocking.",
            see: "https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html",
        }),
        wafUploadPaths: z
            .array(z.string().regex(/^\/[A-Za-z0-9._~\-/]*$/, "a URI path prefix starting with /"))
            .min(1)
            .default(DEFAULTS.app.wafUploadPaths)
            .meta({
                description:
                    "URI path prefixes that accept request bodies over 8 KB (document uploads): the only paths where the WAF does not block what it cannot inspect (behind an ALB it reads only the first 8 KB of a body).",
                see: "https://docs.aws.amazon.com/waf/latest/APIReference/API_Body.html",
            }),
        wafMaxUploadBytes: z
            .number()
            .int()
            .min(8192)
            .max(1_000_000_000)
            .default(DEFAULTS.app.wafMaxUploadBytes)
            .meta({ description: "Largest Content-Length the WAF accepts on the upload paths, bytes (the application's own upload limit should match)." }),
        release: releaseSchema.default(DEFAULTS.app.release).meta({ description: "Release strategy of new images (seed 5)." }),
        onPrem: onPremClusterSchema.optional(),
    })
    .meta({ description: "The compute layer: EKS, workloads, edge, release strategy, on-prem cluster." });

export type AppConfig = z.infer<typeof appSchema>;
export type ReleaseStrategy = NonNullable<AppConfig["release"]["strategy"]>;
export type OnPremClusterConfig = NonNullable<AppConfig["onPrem"]>;

/** The effective strategy: configured, else canary in production and rolling elsewhere. */
export function releaseStrategyFor(app: AppConfig, environment: string): ReleaseStrategy {
    return app.release.strategy ?? (environment === "production" ? "canary" : "rolling");
}

/** "repo:tag" or "repo@sha256:..." (digest wins). */
export function imageReference(repositoryUrl: string, ref: ImageRef): string {
    return ref.digest ? `${repositoryUrl}@${ref.digest}` : `${repositoryUrl}:${ref.tag}`;
}
