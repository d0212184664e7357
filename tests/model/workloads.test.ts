import * as assert from "node:assert/strict";
import fc from "fast-check";
import { candidateBounds, candidateTrafficPercent } from "../../model/release";
import {
    SINGLETON_ANNOTATION,
    Site,
    WORKLOAD_NAMES,
    WorkloadScaling,
    deploymentObject,
    onPremIngressObject,
    portalWorkloads,
    releaseTracks,
    secretProviderObjects,
    secretVolume,
    serviceAccountObject,
} from "../../model/workloads";

const IMAGES = { djangoWeb: "ecr/django-web:1.0.0", fastapiApi: "ecr/fastapi-api:1.0.0", celeryWorker: "ecr/celery-worker:1.0.0" };
const bounds = fc.integer({ min: 1, max: 200 }).chain((min) => fc.integer({ min, max: 400 }).map((max) => ({ min, max })));
const scaling: fc.Arbitrary<WorkloadScaling> = fc.record({ djangoWeb: bounds, fastapiApi: bounds, celeryWorker: bounds });
const site: fc.Arbitrary<Site> = fc.constantFrom("eks", "onPrem");
const strategy = fc.constantFrom("rolling" as const, "canary" as const, "blueGreen" as const);
const canaryWeight = fc.integer({ min: 1, max: 99 });

/** Every Deployment the model produces for one set of inputs, with its workload's HPA bounds. */
function deployments(s: WorkloadScaling, where: Site, release: { strategy: "rolling" | "canary" | "blueGreen"; canaryWeight: number; candidate?: string }) {
    const ctx = {
        site: where,
        serviceAccountName: "sa",
        environment: [{ name: "AWS_REGION", value: "eu-west-2" }],
        secretVolume: secretVolume(where === "eks" ? { kind: "eks" } : { kind: "onPrem", runtimeSecretName: "portal-runtime" }),
    };
    return portalWorkloads(IMAGES, s).flatMap((w) => releaseTracks(w, { ...release, site: where }).map((t) => ({ w, t, d: deploymentObject(w, t, ctx) })));
}

describe("model/workloads", () => {
    it("every container runs non-root on a read-only root with no capabilities, no privilege escalation and RuntimeDefault seccomp", () => {
        fc.assert(
            fc.property(
                scaling,
                site,
                strategy,
                canaryWeight,
                fc.option(fc.constant("ecr/django-web:2.0.0"), { nil: undefined }),
                (s, where, strat, weight, candidate) => {
                    for (const { d } of deployments(s, where, { strategy: strat, canaryWeight: weight, candidate })) {
                        const pod = d.spec.template.spec;
                        assert.equal(pod.securityContext.runAsNonRoot, true);
                        assert.equal(pod.automountServiceAccountToken, false);
                        for (const c of pod.containers) {
                            assert.deepEqual(c.securityContext, {
                                allowPrivilegeEscalation: false,
                                privileged: false,
                                readOnlyRootFilesystem: true,
                                runAsNonRoot: true,
                                capabilities: { drop: ["ALL"] },
                                seccompProfile: { type: "RuntimeDefault" },
                            });
                            // Memory limit equals the request; CPU may burst above it.
                            assert.equal(c.resources.limits.memory, c.resources.requests.memory);
                            assert.ok(parseInt(c.resources.limits.cpu) >= parseInt(c.resources.requests.cpu));
                            assert.ok(c.livenessProbe && c.readinessProbe, `${c.name} has both probes`);
                            // Secrets are files in a read-only mount, never env values.
                            assert.ok(c.volumeMounts.some((m) => m.mountPath === "/mnt/secrets" && m.readOnly === true));
                            assert.deepEqual(
                                c.env.slice(-3).map((e) => e.name),
                                ["DATABASE_CREDENTIALS_FILE", "REDIS_AUTH_FILE", "RELEASE_TRACK"],
                            );
                        }
                    }
                },
            ),
        );
    });

    it("pins the UID on EKS only (OpenShift's restricted SCC assigns one from the namespace range)", () => {
        const uid = (where: Site) =>
            deployments({ djangoWeb: { min: 3, max: 9 }, fastapiApi: { min: 3, max: 9 }, celeryWorker: { min: 3, max: 9 } }, where, {
                strategy: "rolling",
                canaryWeight: 10,
            })[0].d.spec.template.spec.securityContext;
        assert.equal((uid("eks") as { runAsUser?: number }).runAsUser, 10001);
        assert.equal((uid("onPrem") as { runAsUser?: number }).runAsUser, undefined);
    });

    it("runs celery-beat as one annotated, recreated replica and every scaled workload from its HPA minimum", () => {
        fc.assert(
            fc.property(scaling, site, (s, where) => {
                for (const { w, t, d } of deployments(s, where, { strategy: "rolling", canaryWeight: 10 })) {
                    if (w.name === "celery-beat") {
                        assert.equal(d.spec.replicas, 1);
                        assert.equal(d.spec.strategy.type, "Recreate");
                        assert.ok(d.metadata.annotations?.[SINGLETON_ANNOTATION]);
                    } else {
                        assert.equal(d.spec.replicas, t.hpa!.min);
                        assert.deepEqual(d.spec.strategy, { type: "RollingUpdate", rollingUpdate: { maxSurge: "25%", maxUnavailable: 0 } });
                        assert.equal(d.metadata.annotations, undefined);
                    }
                }
            }),
        );
    });

    it("adds a candidate track only for a scaled workload on EKS under canary or blue-green", () => {
        const [web, , , beat] = portalWorkloads(IMAGES, {
            djangoWeb: { min: 10, max: 100 },
            fastapiApi: { min: 10, max: 100 },
            celeryWorker: { min: 3, max: 40 },
        });
        const tracks = (w: typeof web, strat: "rolling" | "canary" | "blueGreen", where: Site) =>
            releaseTracks(w, { strategy: strat, canaryWeight: 20, candidate: "ecr/x:2", site: where }).map((t) => t.track);
        assert.deepEqual(tracks(web, "canary", "eks"), ["stable", "candidate"]);
        assert.deepEqual(tracks(web, "blueGreen", "eks"), ["stable", "candidate"]);
        assert.deepEqual(tracks(web, "rolling", "eks"), ["stable"]);
        assert.deepEqual(tracks(web, "canary", "onPrem"), ["stable"]);
        assert.deepEqual(tracks(beat, "canary", "eks"), ["stable"]);
        assert.deepEqual(
            releaseTracks(web, { strategy: "canary", canaryWeight: 20, site: "eks" }).map((t) => t.track),
            ["stable"],
        );
        const candidate = releaseTracks(web, { strategy: "canary", canaryWeight: 20, candidate: "ecr/x:2", site: "eks" })[1];
        assert.deepEqual(candidate, { track: "candidate", image: "ecr/x:2", hpa: { min: 2, max: 20 } });
    });

    it("binds each EKS service account to its IRSA role, and pulls with the site's secret on-prem", () => {
        assert.deepEqual(serviceAccountObject("django-web", { kind: "eks", irsaRoleArn: "arn:aws:iam::1:role/x" }).metadata.annotations, {
            "eks.amazonaws.com/role-arn": "arn:aws:iam::1:role/x",
            "eks.amazonaws.com/sts-regional-endpoints": "true",
        });
        const onPrem = serviceAccountObject("celery-beat", { kind: "onPrem", imagePullSecretName: "registry-pull" });
        assert.equal(onPrem.metadata.annotations, undefined);
        assert.deepEqual(onPrem.imagePullSecrets, [{ name: "registry-pull" }]);
        assert.deepEqual(WORKLOAD_NAMES, ["django-web", "fastapi-api", "celery-worker", "celery-beat"]);
    });

    it("mounts both secrets under the names the app reads", () => {
        assert.deepEqual(
            JSON.parse(secretProviderObjects("arn:db", "arn:redis")).map((o: { objectName: string; objectAlias: string }) => [o.objectName, o.objectAlias]),
            [
                ["arn:db", "database"],
                ["arn:redis", "redis"],
            ],
        );
    });
});

describe("model/release", () => {
    const hpa = bounds;
    it("a canary runs canaryWeight % of stable (at least one pod, never more than stable); blue-green runs stable's size", () => {
        fc.assert(
            fc.property(hpa, canaryWeight, (stable, weight) => {
                const canary = candidateBounds("canary", weight, stable);
                assert.ok(canary.min >= 1 && canary.min <= canary.max);
                assert.ok(canary.min <= stable.min && canary.max <= stable.max);
                assert.ok(canary.max >= Math.ceil((stable.max * weight) / 100));
                assert.deepEqual(candidateBounds("blueGreen", weight, stable), stable);
            }),
        );
    });

    it("sends canaryWeight % to a canary, all or nothing to blue-green, nothing under rolling", () => {
        fc.assert(
            fc.property(canaryWeight, fc.boolean(), (weight, promote) => {
                assert.equal(candidateTrafficPercent("canary", weight, promote), weight);
                assert.equal(candidateTrafficPercent("blueGreen", weight, promote), promote ? 100 : 0);
                assert.equal(candidateTrafficPercent("rolling", weight, promote), 0);
            }),
        );
    });
});

describe("model/workloads on-prem ingress", () => {
    it("routes /api to FastAPI and the rest to Django on the site's class, TLS for the hostname", () => {
        const ingress = onPremIngressObject("openshift-default", "portal.example.gov.uk");
        assert.equal(ingress.spec.ingressClassName, "openshift-default");
        assert.deepEqual(ingress.spec.tls, [{ hosts: ["portal.example.gov.uk"], secretName: "citizen-portal-tls" }]);
        assert.deepEqual(
            ingress.spec.rules[0].http.paths.map((p) => [p.path, p.backend.service.name, p.backend.service.port.number]),
            [
                ["/api", "fastapi-api", 8080],
                ["/", "django-web", 8000],
            ],
        );
    });
});
