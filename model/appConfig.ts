/**
 * The `app:` config section: the compute layer (EKS, workloads, edge, release strategy, on-prem cluster).
 */
import { z } from "zod";
import { parseCidr } from "./cidr";
import { INSTANCE_TYPES } from "./capacity";

/** Kubernetes minor versions this program accepts for EKS (check EKS standard support before pinning). */
export const KUBERNETES_VERSIONS = ["1.31", "1.32", "1.33", "1.34", "1.35"] as const;

/** ALB security policies that negotiate TLS 1.3 (seed 4.2). */
export const TLS_POLICIES = ["ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06"] as const;

const imageTag = z.string().regex(/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, "an image tag (letters, digits, _ . -; at most 128)").refine((t) => t !== "latest", "a release tag, not \"latest\" (tags are immutable)");
const imageDigest = z.string().regex(/^sha256:[a-f0-9]{64}$/, "an image digest sha256:<64 hex>");

/** One image: by digest (preferred: what was scanned is what runs) or by immutable tag. */
export const imageRefSchema = z
    .strictObject({
        /** Immutable release tag, e.g. "1.4.2". Default none. */
        tag: imageTag.optional(),
        /** Content digest, e.g. "sha256:..."; wins over tag. Default none. */
        digest: imageDigest.optional(),
    })
    .refine((i) => i.tag !== undefined || i.digest !== undefined, { message: "a tag or a digest" });
export type ImageRef = z.infer<typeof imageRefSchema>;

const imagesSchema = z.strictObject({
    /** The Django site image (ECR repository <stack>/django-web). */
    djangoWeb: imageRefSchema,
    /** The FastAPI image (ECR repository <stack>/fastapi-api). */
    fastapiApi: imageRefSchema,
    /** The Celery image, run as worker and as beat (ECR repository <stack>/celery-worker). */
    celeryWorker: imageRefSchema,
});

const releaseSchema = z.strictObject({
    /**
     * How new images reach users. rolling: in-place RollingUpdate (maxUnavailable 0).
     * canary: a second "candidate" track behind the same ALB listener receives canaryWeight % of requests.
     * blueGreen: the candidate track runs at full size and takes 100 % when `promote` is true.
     * Default: canary when environment is production, rolling otherwise (seed section 5).
     */
    strategy: z.enum(["rolling", "canary", "blueGreen"]).optional(),
    /** Percentage of requests the candidate track receives under canary. Default 10. */
    canaryWeight: z.number().int().min(1).max(50).default(10),
    /** Candidate images for canary/blueGreen; without them only the stable track runs. Default none. */
    candidate: imagesSchema.partial().optional(),
    /** blueGreen only: send all traffic to the candidate. Default false. */
    promote: z.boolean().default(false),
});

const onPremClusterSchema = z.strictObject({
    /** IngressClass of the on-prem ingress controller (OpenShift router, Rancher's nginx). Default "nginx". */
    ingressClassName: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "an IngressClass name").default("nginx"),
    /** StorageClass for any claims. Default: the cluster's default class. */
    storageClassName: z.string().optional(),
    /** Pre-provisioned Secret (DB and Redis credentials, keys "database" and "redis") created by the on-prem secret store. Default "portal-runtime". */
    runtimeSecretName: z.string().default("portal-runtime"),
    /** Pre-provisioned pull secret for the registry (ECR tokens expire after 12 h: refreshed on-prem). Default "registry-pull". */
    imagePullSecretName: z.string().default("registry-pull"),
    /** Registry mirror serving the same repositories on-prem (e.g. Harbor); default: pull from the project's ECR. */
    registryMirror: z.string().regex(/^[a-z0-9.-]+(:\d+)?(\/[a-z0-9._-]+)*$/, "a registry host[/path]").optional(),
    /** Public hostname served on-prem (behind the DMZ load balancer / GSLB). Default: the same as dns.hostname. */
    hostname: z.string().optional(),
    /** Namespace of the on-prem ingress controller; only its pods may reach web/api. Default "ingress-nginx". */
    ingressNamespace: z.string().default("ingress-nginx"),
});

export const appSchema = z.strictObject({
    /** EKS Kubernetes version, pinned (upgrade deliberately). Default "1.33". */
    kubernetesVersion: z.enum(KUBERNETES_VERSIONS).default("1.33"),
    /** Worker instance type; node counts come from the capacity model. Default "m5.xlarge" (m5.large holds two backend pods). */
    instanceType: z.enum(Object.keys(INSTANCE_TYPES) as [string, ...string[]]).default("m5.xlarge"),
    /** Root volume of each worker in GiB (gp3, encrypted with a CMK). Default 50. */
    nodeVolumeGiB: z.number().int().min(20).max(1000).default(50),
    /** The three images; each by digest or immutable tag from the project's ECR. */
    images: imagesSchema,
    /** ACM certificate for the public hostname (in the stack's region). */
    certificateArn: z.string().regex(/^arn:aws:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, "an ACM certificate ARN"),
    /** TLS policy of the HTTPS listener. Default TLS 1.3 only; the TLS13-1-2 policies are an opt-out for legacy clients. */
    tlsPolicy: z.enum(TLS_POLICIES).default("ELBSecurityPolicy-TLS13-1-3-2021-06"),
    /**
     * CIDRs allowed to reach the EKS API endpoint publicly. Default none: private endpoint only, so
     * `pulumi up` (which talks to the Kubernetes API) must run from inside the VPC, over the VPN or a
     * runner in the private tier. Listing CIDRs (e.g. the CI egress) trades that for a public endpoint limited to them.
     */
    endpointPublicAccessCidrs: z.array(z.string().refine((c) => parseCidr(c) !== undefined && parseCidr(c)!.prefix >= 16, "an IPv4 CIDR no wider than /16")).default([]),
    /** Celery workers per 500 concurrent users (0.5 vCPU / 1 GiB each). Default 2. */
    celeryWorkersPer500Users: z.number().int().min(1).max(50).default(2),
    /** HPA target CPU utilisation, percent of requests. Default 70 (seed alert at 80 %). */
    targetCpuPercent: z.number().int().min(30).max(90).default(70),
    /** HPA target memory utilisation, percent of requests. Default 80. */
    targetMemoryPercent: z.number().int().min(30).max(95).default(80),
    /** WAF rate-based rule: requests per client IP per 5 minutes before blocking. Default 2000. */
    wafRateLimit: z.number().int().min(100).max(2_000_000_000).default(2000),
    /** Release strategy (seed section 5). */
    release: releaseSchema.default({ canaryWeight: 10, promote: false }),
    /**
     * Deploy the same workloads to the on-prem cluster too. Default: none (cloud only). Needs the
     * cluster's kubeconfig as the secret top-level key `onPremKubeconfig`
     * (`pulumi config set --secret onPremKubeconfig "$(cat kubeconfig)"`).
     */
    onPrem: onPremClusterSchema.optional(),
});

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
