import * as assert from "node:assert/strict";
import { imageReference, releaseStrategyFor } from "../../model/appConfig";
import { ConfigError, loadConfig } from "../../model/config";
import { configWith } from "../support";
import { readStackConfig, stackConfigPath } from "../../tools/offline";
import { parse } from "yaml";

const APP_KEY = "hybrid-platform:app";
const prodApp = (): Record<string, unknown> => JSON.parse(readStackConfig(stackConfigPath("prod"))[APP_KEY]);
const load = (app: Record<string, unknown>, extra: Record<string, string | undefined> = {}) =>
    loadConfig(configWith("prod", { [APP_KEY]: JSON.stringify(app), ...extra }));
const rejects = (app: Record<string, unknown>, key: RegExp, extra: Record<string, string | undefined> = {}) =>
    assert.throws(
        () => load(app, extra),
        (e: unknown) => e instanceof ConfigError && key.test(e.message),
    );

describe("config: app section", () => {
    it("loads the committed prod and dr values", () => {
        const prod = loadConfig(readStackConfig(stackConfigPath("prod"))).app;
        assert.equal(prod.kubernetesVersion, "1.35");
        assert.equal(prod.instanceType, "m5.xlarge");
        assert.equal(prod.release.strategy, "canary");
        assert.equal(prod.onPrem, undefined);
        assert.equal(loadConfig(readStackConfig(stackConfigPath("dr"))).app.release.strategy, "rolling");
    });

    it("fills documented defaults", () => {
        const { images, certificateArn } = prodApp() as { images: unknown; certificateArn: string };
        const app = load({ images, certificateArn }).app;
        assert.equal(app.kubernetesVersion, "1.35");
        assert.equal(app.tlsPolicy, "ELBSecurityPolicy-TLS13-1-3-2021-06");
        assert.deepEqual(app.endpointPublicAccessCidrs, []);
        assert.equal(app.wafRateLimit, 2000);
        assert.equal(app.release.canaryWeight, 10);
        assert.equal(releaseStrategyFor(app, "production"), "canary");
        assert.equal(releaseStrategyFor(app, "development"), "rolling");
    });

    it("rejects bad values with one line naming the key", () => {
        rejects({ ...prodApp(), certificateArn: "arn:aws:iam::111122223333:role/x" }, /hybrid-platform:app\.certificateArn: expected an ACM certificate ARN/);
        rejects({ ...prodApp(), images: { ...(prodApp().images as object), djangoWeb: { tag: "latest" } } }, /hybrid-platform:app\.images\.djangoWeb\.tag/);
        rejects(
            { ...prodApp(), images: { ...(prodApp().images as object), fastapiApi: { digest: "sha256:abc" } } },
            /app\.images\.fastapiApi\.digest: expected an image digest/,
        );
        rejects({ ...prodApp(), images: { ...(prodApp().images as object), celeryWorker: {} } }, /app\.images\.celeryWorker: expected a tag or a digest/);
        rejects({ ...prodApp(), kubernetesVersion: "1.20" }, /app\.kubernetesVersion/);
        rejects({ ...prodApp(), instanceType: "t2.micro" }, /app\.instanceType/);
        rejects({ ...prodApp(), endpointPublicAccessCidrs: ["0.0.0.0/0"] }, /app\.endpointPublicAccessCidrs\[0\]: expected an IPv4 CIDR no wider than \/16/);
        rejects({ ...prodApp(), release: { strategy: "blue-green" } }, /app\.release\.strategy: .*did you mean "blueGreen"/);
        rejects({ ...prodApp(), release: { canaryWeight: 80 } }, /app\.release\.canaryWeight: expected a value <= 50/);
        rejects({ ...prodApp(), wafRatelimit: 100 }, /app\.wafRatelimit: expected a known key \(did you mean "wafRateLimit"\?\)/);
    });

    it("requires the on-prem kubeconfig secret when app.onPrem is set", () => {
        rejects({ ...prodApp(), onPrem: { distribution: "rke2" } }, /hybrid-platform:onPremKubeconfig/);
        const cfg = load({ ...prodApp(), onPrem: { distribution: "rke2" } }, { "hybrid-platform:onPremKubeconfig": "offline-secret:kubeconfig" });
        assert.equal(cfg.app.onPrem?.ingressClassName, "nginx");
        assert.equal(cfg.app.onPrem?.runtimeSecretName, "portal-runtime");
    });

    it("issue #12: requires the on-prem distribution (no safe default for the mesh's CNI paths), with a did-you-mean", () => {
        const kubeconfig = { "hybrid-platform:onPremKubeconfig": "offline-secret:kubeconfig" };
        rejects({ ...prodApp(), onPrem: {} }, /hybrid-platform:app\.onPrem\.distribution: expected one of "rke2", "openshift", got nothing$/);
        assert.throws(
            () => load({ ...prodApp(), onPrem: { distribution: "OpenShift4" } }, kubeconfig),
            /app\.onPrem\.distribution: .*did you mean "openshift"/,
        );
        assert.throws(() => load({ ...prodApp(), onPrem: { distribution: "rke" } }, kubeconfig), /app\.onPrem\.distribution: .*did you mean "rke2"/);
        assert.equal(load({ ...prodApp(), onPrem: { distribution: "openshift" } }, kubeconfig).app.onPrem?.distribution, "openshift");
    });

    it("builds image references by digest (preferred) or tag", () => {
        assert.equal(imageReference("r/x", { tag: "1.0.0" }), "r/x:1.0.0");
        assert.equal(imageReference("r/x", { tag: "1.0.0", digest: `sha256:${"0".repeat(64)}` }), `r/x@sha256:${"0".repeat(64)}`);
    });
    it("hints to quote a version that YAML read as a number (kubernetesVersion: 1.30 is 1.3)", () => {
        const app = parse("kubernetesVersion: 1.30").kubernetesVersion;
        assert.equal(app, 1.3);
        rejects(
            { ...prodApp(), kubernetesVersion: app },
            /app\.kubernetesVersion: expected one of "1\.31".*, in quotes \(YAML reads an unquoted 1\.30 as the number 1\.3\), got 1\.3$/,
        );
        // The same for a free-form version string (16.10 reads as 16.1).
        assert.throws(
            () => loadConfig(configWith("prod", { "hybrid-platform:data": JSON.stringify({ postgres: { engineVersion: parse("v: 16.10").v } }) })),
            (e: unknown) => e instanceof ConfigError && /data\.postgres\.engineVersion: expected a string, in quotes/.test(e.message),
        );
        // A string is never told to quote itself.
        assert.throws(
            () => load({ ...prodApp(), kubernetesVersion: "1.30" }),
            (e: unknown) => e instanceof ConfigError && /got "1\.30"$/.test(e.message) && !e.message.includes("in quotes"),
        );
    });
});
