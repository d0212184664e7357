/**
 * The citizen portal's Kubernetes workloads (seed 1.2, 2, 4.1): one code path for EKS and for the
 * on-prem OpenShift/Rancher cluster; the differences are explicit in `WorkloadPlatform`. The objects
 * are built by the pure functions of model/workloads.ts, model/networkPolicies.ts and model/rbac.ts;
 * this component only registers them.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { HpaBounds } from "../../model/capacity";
import { collectorEnvironment } from "../../model/collection";
import { AMBIENT_LABEL, meshObjects } from "../../model/mesh";
import { portalNetworkPolicies } from "../../model/networkPolicies";
import { DEFAULTS } from "../../model/defaults";
import { APP_NAMESPACE } from "../../model/ports";
import { DEPLOYER_GROUP, DEPLOYER_ROLE, OPERATOR_GROUP, OPERATOR_ROLE, deployerRules, groupBinding, operatorRules } from "../../model/rbac";
import * as model from "../../model/workloads";
import { SERVED_PORTS, SINGLETON_ANNOTATION, SINGLETON_REASON, ServedName, Track, WorkloadName } from "../../model/workloads";
import { Problem, cidrListProblems, failOnProblems, integerProblems } from "./validation";

export { APP_NAMESPACE, DEPLOYER_GROUP, OPERATOR_GROUP, SERVED_PORTS, SINGLETON_ANNOTATION, SINGLETON_REASON };
export type { ServedName, Track, WorkloadName };

/** Where the workloads run, and what differs between the sites. */
export type WorkloadPlatform =
    | {
          readonly kind: "eks";
          /** IAM role per service account (IRSA annotation `eks.amazonaws.com/role-arn`). */
          readonly irsaRoleArns: Record<WorkloadName, pulumi.Input<string>>;
          /** Secrets Manager ARNs mounted through the Secrets Store CSI driver (AWS provider, IRSA). */
          readonly databaseSecretArn: pulumi.Input<string>;
          readonly redisAuthSecretArn: pulumi.Input<string>;
          /** Region of the secrets (explicit: pods cannot reach the node's IMDS to discover it). */
          readonly region: string;
          /**
           * Subnet CIDRs of the ALB: the only sources admitted to web/api (ip targets: the ALB connects to pod IPs).
           * At least one IPv4 CIDR: an empty list would admit every source.
           */
          readonly albSourceCidrs: string[];
          /**
           * The blocks holding the interface VPC endpoints' addresses (NetworkTier.apiEndpointCidrs): the only private
           * addresses the pods reach on 443 (STS for IRSA, Secrets Manager, KMS, Logs resolve there with private DNS).
           * At least one IPv4 CIDR.
           */
          readonly apiEndpointCidrs: string[];
          /** ALB target groups per service and track, bound through the LB controller's TargetGroupBinding; a track without one gets none. */
          readonly targetGroupArns: Partial<Record<`${ServedName}:${Track}`, pulumi.Input<string>>>;
      }
    | {
          readonly kind: "onPrem";
          /** Pre-provisioned Secret with keys "database" and "redis" (no IRSA on-prem). */
          readonly runtimeSecretName: string;
          /** Pre-provisioned image pull secret for the registry. */
          readonly imagePullSecretName: string;
          /** IngressClass of the site's ingress controller. */
          readonly ingressClassName: string;
          /** Namespace of the ingress controller: the only pods admitted to web/api. */
          readonly ingressNamespace: string;
          /** Public hostname the Ingress serves (TLS secret "citizen-portal-tls"). */
          readonly hostname: string;
      };

export type WorkloadImages = model.WorkloadImages<pulumi.Input<string>>;

export interface AppWorkloadsArgs {
    /**
     * The cluster the workloads run on: EKS (IRSA, CSI-mounted secrets, ALB TargetGroupBindings) or
     * on-prem (a pre-provisioned Secret and the site's Ingress).
     */
    readonly platform: WorkloadPlatform;
    /** Full image references of the stable track ("repo:tag" or "repo@sha256:..."). */
    readonly images: WorkloadImages;
    /**
     * Candidate images of the served workloads; a candidate track runs only for those given.
     * Only with `strategy` canary or blueGreen, and only on EKS (the ALB's weighted target groups split the traffic).
     * @default none
     */
    readonly candidateImages?: Partial<Pick<WorkloadImages, "djangoWeb" | "fastapiApi">>;
    /**
     * How new images reach users: rolling updates in place; canary runs the candidate at `canaryWeight` %
     * of stable's size; blueGreen sizes it like stable.
     * @default "rolling" (no candidate track)
     */
    readonly strategy?: "rolling" | "canary" | "blueGreen";
    /**
     * Percentage of traffic (and of replicas, at least one) for a canary. A whole number from 1 to 99.
     * @default 10
     */
    readonly canaryWeight?: number;
    /** HPA bounds per scaled workload (from the capacity model): whole numbers, min at least 1, max at least min. */
    readonly scaling: Record<"djangoWeb" | "fastapiApi" | "celeryWorker", HpaBounds>;
    /**
     * HPA CPU utilisation target, percent of the pods' requests.
     * @default 70
     * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
     */
    readonly targetCpuPercent?: number;
    /**
     * HPA memory utilisation target, percent of the pods' requests.
     * @default 80
     */
    readonly targetMemoryPercent?: number;
    /**
     * CIDRs of the database and Redis (the isolated tier; over the VPN from on-prem): the only egress on
     * their ports. At least one IPv4 CIDR: an empty list would allow every destination.
     */
    readonly dataCidrs: string[];
    /**
     * Non-secret runtime settings (hosts, bucket, region), as container environment variables.
     * Secrets never go here: they are mounted as files.
     * @default none
     */
    readonly environment?: Record<string, pulumi.Input<string>>;
    /**
     * Resources the workloads need first (Helm releases installing CRDs and drivers).
     * @default none
     */
    readonly dependsOn?: pulumi.Input<pulumi.Resource>[];
}

/** Every argument problem, before anything is registered. Pure. */
export function appWorkloadsProblems(args: AppWorkloadsArgs): Problem[] {
    const strategy = args.strategy ?? "rolling";
    const candidates = Object.entries(args.candidateImages ?? {}).filter(([, image]) => image !== undefined);
    const problems: Problem[] = [...integerProblems("canaryWeight", args.canaryWeight, 1, 99), ...cidrListProblems("dataCidrs", args.dataCidrs)];
    if (candidates.length > 0 && strategy === "rolling")
        problems.push({ propertyPath: "candidateImages", reason: "a candidate track needs strategy canary or blueGreen (strategy is rolling)" });
    if (candidates.length > 0 && args.platform.kind !== "eks")
        problems.push({
            propertyPath: "candidateImages",
            reason: "candidate tracks run on EKS only (weighted ALB target groups); on-prem rolls after the cloud canary",
        });
    if (args.platform.kind === "eks")
        problems.push(
            ...cidrListProblems("platform.albSourceCidrs", args.platform.albSourceCidrs),
            ...cidrListProblems("platform.apiEndpointCidrs", args.platform.apiEndpointCidrs),
        );
    for (const [key, bounds] of Object.entries(args.scaling)) {
        if (!Number.isInteger(bounds.min) || !Number.isInteger(bounds.max) || bounds.min < 1 || bounds.max < bounds.min) {
            problems.push({ propertyPath: `scaling.${key}`, reason: `whole numbers with 1 <= min <= max, got min ${bounds.min}, max ${bounds.max}` });
        }
    }
    return problems;
}

/**
 * Namespaces, Deployments, Services, HPAs, PDBs, NetworkPolicies, RBAC and secret plumbing for
 * django-web, fastapi-api, celery-worker and celery-beat.
 */
export class AppWorkloads extends pulumi.ComponentResource {
    readonly namespace: pulumi.Output<string>;
    readonly deploymentNames: pulumi.Output<string>[];

    constructor(name: string, args: AppWorkloadsArgs, opts?: pulumi.ComponentResourceOptions) {
        failOnProblems("AppWorkloads", name, appWorkloadsProblems(args));
        super("hybrid:app:AppWorkloads", name, {}, opts);
        const platform = args.platform;
        const ns = new k8s.core.v1.Namespace(
            `${name}-ns`,
            // issue #12: the ambient label enrols every pod of the namespace in the mesh (model/mesh.ts).
            { metadata: { name: APP_NAMESPACE, labels: { ...model.RESTRICTED_NAMESPACE_LABELS, ...AMBIENT_LABEL } } },
            { parent: this },
        );
        this.namespace = ns.metadata.name;
        const secretDeps = this.secretProviderClass(name, args);
        this.deploymentNames = this.workloads(name, args, secretDeps);
        if (platform.kind === "onPrem") {
            const ingress = model.onPremIngressObject(platform.ingressClassName, platform.hostname);
            new k8s.networking.v1.Ingress(
                `${name}-ingress`,
                { metadata: { ...ingress.metadata, namespace: this.namespace }, spec: ingress.spec },
                { parent: this },
            );
        }
        const edge =
            platform.kind === "eks"
                ? { kind: "eks" as const, albSourceCidrs: platform.albSourceCidrs }
                : { kind: "onPrem" as const, ingressNamespace: platform.ingressNamespace };
        for (const policy of portalNetworkPolicies(edge, args.dataCidrs, platform.kind === "eks" ? platform.apiEndpointCidrs : [])) {
            new k8s.networking.v1.NetworkPolicy(
                `${name}-${policy.name}`,
                { metadata: { name: policy.name, namespace: this.namespace }, spec: policy.spec },
                { parent: this },
            );
        }
        // issue #12: STRICT mTLS and the AuthorizationPolicies generated from the declared service flows.
        for (const object of meshObjects(edge)) {
            new k8s.apiextensions.CustomResource(
                `${name}-mesh-${object.kind === "PeerAuthentication" ? "peer" : "authz"}-${object.metadata.name}`,
                { apiVersion: object.apiVersion, kind: object.kind, metadata: { name: object.metadata.name, namespace: this.namespace }, spec: object.spec },
                { parent: this, dependsOn: args.dependsOn },
            );
        }
        this.rbac(name);
        this.registerOutputs({ namespace: this.namespace, deploymentNames: this.deploymentNames });
    }

    /** EKS: the SecretProviderClass the pods' CSI volume mounts (returned as what Deployments wait for); on-prem the Secret exists already. */
    private secretProviderClass(name: string, args: AppWorkloadsArgs): pulumi.Resource[] {
        const platform = args.platform;
        if (platform.kind !== "eks") return [];
        const spc = new k8s.apiextensions.CustomResource(
            `${name}-secrets`,
            {
                apiVersion: "secrets-store.csi.x-k8s.io/v1",
                kind: "SecretProviderClass",
                metadata: { name: model.SECRET_PROVIDER_CLASS, namespace: this.namespace },
                spec: {
                    provider: "aws",
                    parameters: {
                        // Explicit: nodes' IMDS is out of reach of pods (hop limit 1), so nothing is discovered from it.
                        region: platform.region,
                        objects: pulumi
                            .all([platform.databaseSecretArn, platform.redisAuthSecretArn])
                            .apply(([db, redis]) => model.secretProviderObjects(db, redis)),
                    },
                },
            },
            { parent: this, dependsOn: args.dependsOn },
        );
        return [spc];
    }

    /** Per workload a service account, and per track a Deployment, PDB, HPA (scaled), Service and TargetGroupBinding (served). */
    private workloads(name: string, args: AppWorkloadsArgs, secretDeps: pulumi.Resource[]): pulumi.Output<string>[] {
        const platform = args.platform;
        const namespace = this.namespace;
        const strategy = args.strategy ?? "rolling";
        const candidates: Partial<Record<WorkloadName, pulumi.Input<string>>> = {
            "django-web": args.candidateImages?.djangoWeb,
            "fastapi-api": args.candidateImages?.fastapiApi,
        };
        const environment = Object.entries(args.environment ?? {}).map(([key, value]) => ({ name: key, value }));
        const secretVolume = model.secretVolume(platform);
        const deploymentNames: pulumi.Output<string>[] = [];
        for (const w of model.portalWorkloads(args.images, args.scaling)) {
            const site =
                platform.kind === "eks"
                    ? { kind: "eks" as const, irsaRoleArn: platform.irsaRoleArns[w.name] }
                    : { kind: "onPrem" as const, imagePullSecretName: platform.imagePullSecretName };
            const sa = model.serviceAccountObject(w.name, site);
            const serviceAccount = new k8s.core.v1.ServiceAccount(`${name}-${w.name}`, { ...sa, metadata: { ...sa.metadata, namespace } }, { parent: this });
            // issue #13: every pod sends its traces to its cluster's collector (model/collection.ts).
            const context = {
                site: platform.kind,
                serviceAccountName: serviceAccount.metadata.name,
                environment,
                secretVolume,
                telemetry: collectorEnvironment(),
            };
            for (const t of model.releaseTracks(w, {
                strategy,
                canaryWeight: args.canaryWeight ?? DEFAULTS.app.release.canaryWeight,
                candidate: candidates[w.name],
                site: platform.kind,
            })) {
                const deploymentName = model.deploymentNameOf(w.name, t.track);
                const labels = model.labelsOf(w.name, t.track);
                const object = model.deploymentObject(w, t, context);
                const deployment = new k8s.apps.v1.Deployment(
                    `${name}-${deploymentName}`,
                    { metadata: { ...object.metadata, namespace }, spec: object.spec },
                    // The HPA owns replicas of scaled workloads.
                    { parent: this, dependsOn: [...secretDeps], ignoreChanges: w.hpa === undefined ? [] : ["spec.replicas"] },
                );
                deploymentNames.push(deployment.metadata.name);
                new k8s.policy.v1.PodDisruptionBudget(
                    `${name}-${deploymentName}`,
                    { metadata: { name: deploymentName, namespace, labels }, spec: model.disruptionBudgetSpec(w.name, t.track) },
                    { parent: this },
                );
                if (t.hpa) {
                    const targets = {
                        cpuPercent: args.targetCpuPercent ?? DEFAULTS.app.targetCpuPercent,
                        memoryPercent: args.targetMemoryPercent ?? DEFAULTS.app.targetMemoryPercent,
                    };
                    new k8s.autoscaling.v2.HorizontalPodAutoscaler(
                        `${name}-${deploymentName}`,
                        { metadata: { name: deploymentName, namespace, labels }, spec: model.autoscalerSpec(deployment.metadata.name, t.hpa, targets) },
                        { parent: this },
                    );
                }
                if (!w.port) continue;
                const service = new k8s.core.v1.Service(
                    `${name}-${deploymentName}`,
                    { metadata: { name: deploymentName, namespace, labels }, spec: model.serviceSpec(w.name, t.track, w.port) },
                    { parent: this },
                );
                const targetGroupArn = platform.kind === "eks" ? platform.targetGroupArns[`${w.name as ServedName}:${t.track}`] : undefined;
                if (targetGroupArn === undefined) continue;
                new k8s.apiextensions.CustomResource(
                    `${name}-${deploymentName}-tgb`,
                    {
                        apiVersion: "elbv2.k8s.aws/v1beta1",
                        kind: "TargetGroupBinding",
                        metadata: { name: deploymentName, namespace },
                        spec: model.targetGroupBindingSpec<pulumi.Input<string>>(service.metadata.name, w.port, targetGroupArn),
                    },
                    { parent: this, dependsOn: args.dependsOn },
                );
            }
        }
        return deploymentNames;
    }

    /** Read-only operators (no Secrets) and a namespaced CI deployer that can roll images but not touch RBAC or Secrets. */
    private rbac(name: string): void {
        const readOnly = new k8s.rbac.v1.ClusterRole(
            `${name}-operator-readonly`,
            { metadata: { name: OPERATOR_ROLE }, rules: operatorRules() },
            { parent: this },
        );
        new k8s.rbac.v1.ClusterRoleBinding(
            `${name}-operator-readonly`,
            { metadata: { name: OPERATOR_ROLE }, ...groupBinding("ClusterRole", readOnly.metadata.name, OPERATOR_GROUP) },
            { parent: this },
        );
        const deployer = new k8s.rbac.v1.Role(
            `${name}-ci-deployer`,
            { metadata: { name: DEPLOYER_ROLE, namespace: this.namespace }, rules: deployerRules() },
            { parent: this },
        );
        new k8s.rbac.v1.RoleBinding(
            `${name}-ci-deployer`,
            { metadata: { name: DEPLOYER_ROLE, namespace: this.namespace }, ...groupBinding("Role", deployer.metadata.name, DEPLOYER_GROUP) },
            { parent: this },
        );
    }
}
