/** issue #13: the collectors' generated config, the workloads' metrics endpoints, and what the mesh and NetworkPolicies admit for them. */
import * as assert from "node:assert/strict";
import { parse } from "yaml";
import {
    COLLECTOR_POD_LABELS,
    CollectorSite,
    ON_PREM_COLLECTOR_APIS,
    TELEMETRY_NAMESPACE,
    collectorConfig,
    collectorConfigProblems,
    collectorConfigYaml,
    collectorEnvironment,
    endpointHostAliases,
    scrapeJobs,
} from "../../model/collection";
import { endpointAddress } from "../../model/endpointAddresses";
import { HBONE_PORT, authorizationPolicies, collectorPrincipal, meshObjects, peerAuthentications } from "../../model/mesh";
import { INTERFACE_ENDPOINTS } from "../../model/network";
import { portalNetworkPolicies } from "../../model/networkPolicies";
import { METRICS_ENDPOINTS } from "../../model/workloadTelemetry";
import { deploymentObject, portalWorkloads, releaseTracks, secretVolume, serviceSpec } from "../../model/workloads";

const SITE: CollectorSite = {
    site: "eks",
    region: "eu-west-2",
    prometheusEndpoint: "https://aps-workspaces.eu-west-2.amazonaws.com/workspaces/ws-1/",
    clusterLabel: "prod-eks",
    scrapeIntervalSeconds: 30,
    traceSampling: 0.05,
};
const EDGE = { kind: "eks" as const, albSourceCidrs: ["10.10.0.0/24"] };
const bounds = { min: 2, max: 4 };
const workloads = portalWorkloads({ djangoWeb: "d", fastapiApi: "f", celeryWorker: "c" }, { djangoWeb: bounds, fastapiApi: bounds, celeryWorker: bounds });
const pods = workloads.map((w) => {
    const [t] = releaseTracks(w, { strategy: "rolling", canaryWeight: 10, site: "eks" });
    const ctx = {
        site: "eks" as const,
        serviceAccountName: w.name,
        environment: [],
        secretVolume: secretVolume({ kind: "eks" }),
        telemetry: collectorEnvironment(),
    };
    return { w, deployment: deploymentObject(w, t, ctx) };
});

describe("model/collection", () => {
    it("every pipeline names defined receivers, processors, exporters and extensions, on both sites (and the check catches one that does not)", () => {
        for (const site of ["eks", "onPrem"] as const) assert.deepEqual(collectorConfigProblems(collectorConfig({ ...SITE, site })), []);
        const broken = collectorConfig(SITE);
        broken.service.pipelines.traces.exporters = ["awsxray", "otlp"];
        delete broken.extensions.sigv4auth;
        assert.deepEqual(collectorConfigProblems(broken), ["extension sigv4auth is not defined", "pipeline traces: exporter otlp is not defined"]);
    });

    it("remote-writes to the workspace's own URL, SigV4-signed for AMP in the stack's region, with the cluster and HA replica labels", () => {
        const c = parse(
            collectorConfigYaml({ ...SITE, region: "eu-west-1", prometheusEndpoint: "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-9/" }),
        );
        assert.equal(c.exporters.prometheusremotewrite.endpoint, "https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/ws-9/api/v1/remote_write");
        assert.deepEqual(c.extensions.sigv4auth, { region: "eu-west-1", service: "aps" });
        assert.equal(c.exporters.prometheusremotewrite.auth.authenticator, "sigv4auth");
        assert.deepEqual(c.exporters.prometheusremotewrite.external_labels, { cluster: "prod-eks", __replica__: "${env:POD_NAME}", site: "eks" });
        assert.equal(c.exporters.awsxray.region, "eu-west-1");
        assert.deepEqual(c.service.pipelines.metrics.exporters, ["prometheusremotewrite"]);
        assert.deepEqual(c.service.pipelines.traces.exporters, ["awsxray"]);
    });

    it("samples traces at the configured ratio in the collector, and the SDKs send every span to it over OTLP/gRPC", () => {
        assert.equal(collectorConfig({ ...SITE, traceSampling: 0.25 }).processors.probabilistic_sampler.sampling_percentage, 25);
        assert.ok(collectorConfig(SITE).service.pipelines.traces.processors.includes("probabilistic_sampler"));
        const env = Object.fromEntries(collectorEnvironment().map((e) => [e.name, e.value]));
        assert.equal(env.OTEL_EXPORTER_OTLP_ENDPOINT, `http://otel-collector.${TELEMETRY_NAMESPACE}.svc.cluster.local:4317`);
        assert.equal(env.OTEL_TRACES_SAMPLER, "parentbased_always_on");
    });

    it("scrapes kube-state-metrics, node-exporter, the kubelet, cAdvisor and the annotated portal pods; relabel references are escaped from env expansion", () => {
        assert.deepEqual(
            scrapeJobs().map((j) => j.job_name),
            ["portal-pods", "kube-state-metrics", "node-exporter", "kubelet", "cadvisor"],
        );
        const yaml = collectorConfigYaml(SITE);
        assert.ok(!/(^|[^$])\$[0-9]/m.test(yaml), "a bare $1 would be expanded by the collector as an environment variable");
        assert.ok(yaml.includes("$$1:$$2"));
    });

    it("each workload with a metrics endpoint gets the container port and the annotations the portal-pods job keeps; the Service and the ALB never carry it", () => {
        for (const { w, deployment } of pods) {
            const m = METRICS_ENDPOINTS[w.name];
            const container = deployment.spec.template.spec.containers[0];
            const env = Object.fromEntries(container.env.map((e: { name: string; value: unknown }) => [e.name, e.value]));
            assert.equal(env.OTEL_SERVICE_NAME, w.name);
            if (!m) {
                assert.equal(deployment.spec.template.metadata.annotations, undefined, `${w.name} is not scraped`);
                continue;
            }
            assert.deepEqual(deployment.spec.template.metadata.annotations, {
                "prometheus.io/scrape": "true",
                "prometheus.io/port": String(m.port),
                "prometheus.io/path": m.path,
            });
            assert.ok(container.ports!.some((p) => p.name === "metrics" && p.containerPort === m.port));
            if (w.port)
                assert.deepEqual(
                    serviceSpec(w.name, "stable", w.port).ports.map((p) => p.port),
                    [w.port],
                );
            assert.notEqual(m.port, w.port, "never the served port, which the edge forwards");
        }
        assert.deepEqual(Object.keys(METRICS_ENDPOINTS), ["django-web", "fastapi-api", "celery-worker"]);
    });

    it("the mesh admits only the collector's identity to the metrics ports, which stay STRICT", () => {
        const objects = meshObjects(EDGE);
        for (const [w, m] of Object.entries(METRICS_ENDPOINTS)) {
            const rules = objects
                .filter((o) => o.kind === "AuthorizationPolicy" && (o.spec as any).selector?.matchLabels?.app === w)
                .flatMap((o) => (o.spec as any).rules as any[])
                .filter((r) => r.to.some((t: any) => t.operation.ports.includes(String(m!.port))));
            assert.deepEqual(rules, [{ from: [{ source: { principals: [collectorPrincipal()] } }], to: [{ operation: { ports: [String(m!.port)] } }] }]);
        }
        assert.equal(collectorPrincipal(), "cluster.local/ns/telemetry/sa/otel-collector");
        const permissive = peerAuthentications(EDGE).flatMap((p) => Object.keys((p.spec.portLevelMtls as object) ?? {}));
        assert.ok(!permissive.includes("9102"));
        assert.equal(authorizationPolicies(EDGE).filter((o) => o.metadata.name.startsWith("allow-scrape")).length, 0, "the flow policies are unchanged");
    });

    it("NetworkPolicies open HBONE from the collector to the scraped workloads and from the workloads to the collector, and nothing else new", () => {
        const policies = portalNetworkPolicies(EDGE, ["10.10.64.0/24"]);
        const collector = {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": TELEMETRY_NAMESPACE } },
            podSelector: { matchLabels: { ...COLLECTOR_POD_LABELS } },
        };
        const naming = policies.filter((p) => JSON.stringify(p.spec).includes(TELEMETRY_NAMESPACE));
        assert.deepEqual(
            naming.map((p) => p.name),
            ["allow-collector-scrapes", "allow-traces-to-collector"],
        );
        const scrapes = naming[0].spec;
        assert.deepEqual(scrapes.ingress, [{ from: [collector], ports: [{ protocol: "TCP", port: HBONE_PORT }] }]);
        assert.deepEqual(scrapes.podSelector.matchExpressions?.[0].values, ["django-web", "fastapi-api", "celery-worker"]);
        assert.deepEqual(naming[1].spec.egress, [{ to: [collector], ports: [{ protocol: "TCP", port: HBONE_PORT }] }]);
    });

    it("maps each API the on-prem collector calls to its interface endpoint's fixed address in every private subnet", () => {
        const cidrs = ["10.10.32.0/19", "10.10.64.0/19"];
        const aliases = endpointHostAliases("eu-west-2", cidrs);
        assert.equal(aliases.length, cidrs.length * ON_PREM_COLLECTOR_APIS.length);
        for (const api of ON_PREM_COLLECTOR_APIS) {
            assert.ok(INTERFACE_ENDPOINTS.includes(api), `${api} has an interface endpoint`);
            const ips = aliases.filter((a) => a.hostnames.includes(`${api}.eu-west-2.amazonaws.com`)).map((a) => a.ip);
            assert.deepEqual(
                ips,
                cidrs.map((c) => endpointAddress(c, INTERFACE_ENDPOINTS.indexOf(api))),
            );
        }
    });
});
