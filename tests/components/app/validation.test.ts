/**
 * AppCluster and AppWorkloads alone: their argument checks fail before anything is registered,
 * naming the property; valid arguments plan, with the data tier's grant and the given account.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { AppCluster, AppClusterArgs } from "../../../components/app/appCluster";
import { AppWorkloads, AppWorkloadsArgs } from "../../../components/app/appWorkloads";
import { dataEndpoints, runtimeStatements } from "../../../components/data/endpoints";
import { loadConfig } from "../../../model/config";
import { policyJson } from "../../../model/iam";
import { POSTGRES_PORT, REDIS_PORT } from "../../../model/ports";
import { PlatformMocks } from "../../../tools/mocks";
import { readStackConfig, stackConfigPath } from "../../../tools/offline";
import { aloneBootstrap, ofType, one, planComponent, serially } from "../../support";

const cfg = loadConfig(readStackConfig(stackConfigPath("prod")));
/** Not the mocks' caller identity: the component must use the account it is given. */
const ACCOUNT = "444455556666";
const DATA = {
    region: cfg.region,
    documentsBucketArn: "arn:aws:s3:::prod-documents",
    documentsKeyArn: `arn:aws:kms:${cfg.region}:${ACCOUNT}:key/docs`,
    secretArns: [`arn:aws:secretsmanager:${cfg.region}:${ACCOUNT}:secret:db-x`, `arn:aws:secretsmanager:${cfg.region}:${ACCOUNT}:secret:redis-x`],
    secretsKeyArns: [`arn:aws:kms:${cfg.region}:${ACCOUNT}:key/secrets`],
};

/** Valid AppCluster args with some replaced; call inside the program (the data endpoints are Outputs). */
function clusterArgs(changes: Partial<AppClusterArgs> = {}): AppClusterArgs {
    return {
        app: cfg.app,
        environment: cfg.environment,
        capacity: cfg.capacity,
        hostname: cfg.dns.hostname,
        zoneName: cfg.dns.zoneName,
        region: cfg.region,
        accountId: ACCOUNT,
        bootstrap: aloneBootstrap(cfg.region, "prod", ACCOUNT),
        vpcId: "vpc-0prod",
        privateSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
        publicSubnetIds: ["subnet-pa", "subnet-pb", "subnet-pc"],
        publicSubnetCidrs: ["10.10.0.0/21", "10.10.8.0/21", "10.10.16.0/21"],
        dataSubnetCidrs: ["10.10.160.0/21", "10.10.168.0/21", "10.10.176.0/21"],
        apiEndpointCidrs: ["10.10.0.16/28", "10.10.32.16/28", "10.10.64.16/28"],
        data: dataEndpoints({
            region: DATA.region,
            clientSecurityGroupId: pulumi.output("sg-0client"),
            documentsBucketName: pulumi.output("prod-documents"),
            documentsBucketArn: pulumi.output(DATA.documentsBucketArn),
            documentsKeyArn: DATA.documentsKeyArn,
            databaseSecretArn: pulumi.output(DATA.secretArns[0]),
            redisAuthSecretArn: pulumi.output(DATA.secretArns[1]),
            secretsKeyArns: DATA.secretsKeyArns,
            databaseHost: pulumi.output("db.example"),
            databasePort: POSTGRES_PORT,
            redisHost: pulumi.output("redis.example"),
            redisPort: REDIS_PORT,
        }),
        ...changes,
    };
}

const workloadArgs = (changes: Partial<AppWorkloadsArgs> = {}): AppWorkloadsArgs => ({
    platform: {
        kind: "onPrem",
        runtimeSecretName: "portal-runtime",
        imagePullSecretName: "registry-pull",
        ingressClassName: "nginx",
        ingressNamespace: "ingress-nginx",
        hostname: "portal.example.gov.uk",
    },
    images: { djangoWeb: "harbor/django-web:1.0.0", fastapiApi: "harbor/fastapi-api:1.0.0", celeryWorker: "harbor/celery-worker:1.0.0" },
    scaling: { djangoWeb: { min: 3, max: 10 }, fastapiApi: { min: 3, max: 10 }, celeryWorker: { min: 3, max: 6 } },
    dataCidrs: ["10.10.160.0/21"],
    ...changes,
});
const eksPlatform = {
    kind: "eks" as const,
    irsaRoleArns: { "django-web": "arn:r1", "fastapi-api": "arn:r2", "celery-worker": "arn:r3", "celery-beat": "arn:r4" },
    databaseSecretArn: "arn:db",
    redisAuthSecretArn: "arn:redis",
    region: cfg.region,
    albSourceCidrs: ["10.10.0.0/21"],
    apiEndpointCidrs: ["10.10.0.16/28"],
    targetGroupArns: {},
};

/** Rejects with an InputPropertiesError naming `propertyPath` (and the component). */
async function rejectsNaming(build: () => unknown, component: string, propertyPath: string): Promise<void> {
    await assert.rejects(planComponent(build), (e: unknown) => {
        assert.ok(pulumi.InputPropertiesError.isInstance(e), `an InputPropertiesError, got ${e}`);
        assert.ok(e.message.startsWith(`${component} `), e.message);
        assert.ok(
            e.errors.some((p) => p.propertyPath === propertyPath),
            `names ${propertyPath}: ${e.message}`,
        );
        return true;
    });
}

/** The resource types the mocks saw registered while `build` ran (and whether it threw). */
function registrationsDuring(build: () => unknown): Promise<{ types: string[]; threw: boolean }> {
    return serially(async () => {
        const types: string[] = [];
        class Recording extends PlatformMocks {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                if (args.type !== "pulumi:pulumi:Stack") types.push(args.type);
                return super.newResource(args);
            }
        }
        await pulumi.runtime.setMocks(new Recording({ region: cfg.region, preview: false }), "hybrid-platform", "prod", false);
        let threw = false;
        // Caught where it is thrown: a constructor that throws before super() leaves nothing for the run to fail on.
        await pulumi.runtime.runInPulumiStack(async () => {
            try {
                build();
            } catch {
                threw = true;
            }
            return {};
        });
        await pulumi.runtime.disconnect().catch(() => undefined);
        return { types, threw };
    });
}

describe("AppCluster alone", () => {
    it("plans with the account it is given and the data tier's runtime grant as each workload's IRSA policy", async () => {
        const plan = await planComponent(() => new AppCluster("app", clusterArgs()));
        assert.ok(
            ofType(plan, "aws:s3/bucketV2:BucketV2")
                .concat(ofType(plan, "aws:s3/bucket:Bucket"))
                .some((b) => String((b.props as { bucket?: string }).bucket).endsWith(`-alb-logs-${ACCOUNT}`)),
        );
        const operators = JSON.parse((one(plan, "aws:iam/role:Role", "app-operators").props as { assumeRolePolicy: string }).assumeRolePolicy);
        assert.equal(operators.Statement[0].Principal.AWS, `arn:aws:iam::${ACCOUNT}:root`);
        const grant = {
            region: DATA.region,
            secretArns: DATA.secretArns,
            secretsKeyArns: DATA.secretsKeyArns,
            documentsBucketArn: DATA.documentsBucketArn,
            documentsKeyArn: DATA.documentsKeyArn,
        };
        for (const [workload, documents] of [
            ["django-web", true],
            ["celery-beat", false],
        ] as const) {
            const policy = (one(plan, "aws:iam/rolePolicy:RolePolicy", `app-irsa-${workload}`).props as { policy: string }).policy;
            assert.equal(policy, policyJson(runtimeStatements(grant, { documents })));
        }
    });

    it("needs no zoneName when app.certificateArn names an existing certificate", async () => {
        const certificateArn = `arn:aws:acm:${cfg.region}:${ACCOUNT}:certificate/12345678-1234-1234-1234-123456789012`;
        const plan = await planComponent(() => new AppCluster("app", clusterArgs({ zoneName: undefined, app: { ...cfg.app, certificateArn } })));
        assert.equal(ofType(plan, "aws:acm/certificate:Certificate").length, 0);
    });

    const invalid: [string, () => Partial<AppClusterArgs>][] = [
        ["privateSubnetIds", () => ({ privateSubnetIds: ["subnet-a"] })],
        ["publicSubnetIds", () => ({ publicSubnetIds: ["subnet-pa"], publicSubnetCidrs: ["10.10.0.0/21"] })],
        ["publicSubnetCidrs", () => ({ publicSubnetCidrs: ["10.10.0.0/21", "10.10.8.0/21"] })],
        ["publicSubnetCidrs[1]", () => ({ publicSubnetCidrs: ["10.10.0.0/21", "10.10.8.1/21", "10.10.16.0/21"] })],
        ["dataSubnetCidrs", () => ({ dataSubnetCidrs: [] })],
        ["apiEndpointCidrs", () => ({ apiEndpointCidrs: [] })],
        ["zoneName", () => ({ zoneName: undefined })],
        ["hostname", () => ({ hostname: " " })],
        ["capacity.targetUsers", () => ({ capacity: { concurrentUsers: 1000, targetUsers: -1 } })],
        ["app.release.canaryWeight", () => ({ app: { ...cfg.app, release: { ...cfg.app.release, canaryWeight: 100 } } })],
    ];
    for (const [propertyPath, changes] of invalid) {
        it(`rejects a bad ${propertyPath}, naming it`, () =>
            rejectsNaming(() => new AppCluster("app", clusterArgs(changes())), "AppCluster app:", propertyPath));
    }

    it("registers nothing, not even itself, when its arguments are invalid", async () => {
        const seen = await registrationsDuring(() => new AppCluster("app", clusterArgs({ zoneName: undefined })));
        assert.deepEqual(seen, { types: [], threw: true });
        const workloads = await registrationsDuring(() => new AppWorkloads("w", workloadArgs({ dataCidrs: [] })));
        assert.deepEqual(workloads, { types: [], threw: true });
    });

    it("reports every problem at once", async () => {
        await assert.rejects(
            planComponent(() => new AppCluster("app", clusterArgs({ zoneName: undefined, privateSubnetIds: [] }))),
            (e: pulumi.InputPropertiesError) => assert.deepEqual(e.errors.map((p) => p.propertyPath).sort(), ["privateSubnetIds", "zoneName"]) === undefined,
        );
    });
});

describe("AppWorkloads alone", () => {
    it("plans on-prem: the site's Ingress and Secret, no SecretProviderClass", async () => {
        const plan = await planComponent(() => new AppWorkloads("w", workloadArgs()));
        assert.equal(ofType(plan, "kubernetes:networking.k8s.io/v1:Ingress").length, 1);
        assert.equal(ofType(plan, "kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass").length, 0);
        // 6, and issue #12's three for the mesh (HBONE both ends of django-web -> fastapi-api, kubelet probes).
        // issue #13: and two for the collector (HBONE from it to the metrics ports, from the workloads to its OTLP port).
        assert.equal(ofType(plan, "kubernetes:networking.k8s.io/v1:NetworkPolicy").length, 11);
    });

    const invalid: [string, () => Partial<AppWorkloadsArgs>][] = [
        ["canaryWeight", () => ({ platform: eksPlatform, strategy: "canary", canaryWeight: 100 })],
        ["canaryWeight", () => ({ canaryWeight: 0 })],
        ["candidateImages", () => ({ platform: eksPlatform, strategy: "rolling", candidateImages: { djangoWeb: "ecr/django-web:2.0.0" } })],
        ["candidateImages", () => ({ strategy: "canary", candidateImages: { fastapiApi: "harbor/fastapi-api:2.0.0" } })],
        ["platform.albSourceCidrs", () => ({ platform: { ...eksPlatform, albSourceCidrs: [] } })],
        ["platform.apiEndpointCidrs", () => ({ platform: { ...eksPlatform, apiEndpointCidrs: [] } })],
        ["dataCidrs", () => ({ dataCidrs: [] })],
        ["dataCidrs[0]", () => ({ dataCidrs: ["10.10.160.7/21"] })],
        ["scaling.celeryWorker", () => ({ scaling: { djangoWeb: { min: 3, max: 10 }, fastapiApi: { min: 3, max: 10 }, celeryWorker: { min: 5, max: 4 } } })],
    ];
    for (const [propertyPath, changes] of invalid) {
        it(`rejects a bad ${propertyPath}, naming it`, () =>
            rejectsNaming(() => new AppWorkloads("w", workloadArgs(changes())), "AppWorkloads w:", propertyPath));
    }
});
