/**
 * AppCluster used directly as a component (as the DR stack will): a pilot light runs every
 * workload at its floor with the HPA and node group maxima of the full plan.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { AppCluster } from "../../../components/app/appCluster";
import { dataEndpoints } from "../../../components/data/endpoints";
import { loadConfig } from "../../../model/config";
import { POSTGRES_PORT, REDIS_PORT } from "../../../model/ports";
import { MOCK_ACCOUNT_ID, PlatformMocks } from "../../../tools/mocks";
import { readStackConfig, stackConfigPath } from "../../../tools/offline";
import { serially } from "../../support";

interface Seen {
    type: string;
    name: string;
    state: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
}

function deployAppCluster(pilotLight: boolean): Promise<Seen[]> {
    return serially(async () => {
        const seen: Seen[] = [];
        class Recording extends PlatformMocks {
            newResource(args: pulumi.runtime.MockResourceArgs) {
                const result = super.newResource(args);
                seen.push({ type: args.type, name: args.name, state: result.state });
                return result;
            }
        }
        const cfg = loadConfig(readStackConfig(stackConfigPath("dr")));
        pulumi.runtime.setAllConfig({}, []);
        await pulumi.runtime.setMocks(new Recording({ region: cfg.region, preview: false }), "hybrid-platform", "dr", false);
        await pulumi.runtime.runInPulumiStack(async () => {
            new AppCluster("app", {
                app: cfg.app,
                environment: cfg.environment,
                capacity: cfg.capacity,
                hostname: cfg.dns.hostname,
                zoneName: cfg.dns.zoneName,
                region: cfg.region,
                vpcId: "vpc-0dr",
                privateSubnetIds: ["subnet-a", "subnet-b", "subnet-c"],
                publicSubnetIds: ["subnet-pa", "subnet-pb", "subnet-pc"],
                publicSubnetCidrs: ["10.20.128.0/21", "10.20.136.0/21", "10.20.144.0/21"],
                dataSubnetCidrs: ["10.20.160.0/21", "10.20.168.0/21", "10.20.176.0/21"],
                accountId: MOCK_ACCOUNT_ID,
                data: dataEndpoints({
                    region: cfg.region,
                    clientSecurityGroupId: pulumi.output("sg-0client"),
                    documentsBucketName: pulumi.output("dr-documents"),
                    documentsBucketArn: pulumi.output("arn:aws:s3:::dr-documents"),
                    documentsKeyArn: "arn:aws:kms:eu-west-1:111122223333:key/dr-docs",
                    databaseSecretArn: pulumi.output("arn:aws:secretsmanager:eu-west-1:111122223333:secret:dr/db-x"),
                    redisAuthSecretArn: pulumi.output("arn:aws:secretsmanager:eu-west-1:111122223333:secret:dr/redis-x"),
                    secretsKeyArns: [],
                    databaseHost: pulumi.output("dr-db.example"),
                    databasePort: POSTGRES_PORT,
                    redisHost: pulumi.output("dr-redis.example"),
                    redisPort: REDIS_PORT,
                }),
                pilotLight,
            });
            return {};
        });
        await pulumi.runtime.disconnect();
        return seen;
    });
}

describe("AppCluster pilot light (component API for the DR stack)", () => {
    it("runs web/api/worker at 3 replicas and one node per AZ, keeping the 10,000-user maxima", async () => {
        const seen = await deployAppCluster(true);
        const hpas = Object.fromEntries(seen.filter((s) => s.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").map((h) => [h.state.metadata.name, [h.state.spec.minReplicas, h.state.spec.maxReplicas]]));
        assert.deepEqual(hpas, { "django-web": [3, 100], "fastapi-api": [3, 100], "celery-worker": [3, 40] });
        const groups = seen.filter((s) => s.type === "aws:eks/nodeGroup:NodeGroup");
        assert.equal(groups.length, 3);
        for (const g of groups) assert.deepEqual(g.state.scalingConfig, { minSize: 1, desiredSize: 1, maxSize: 21 });
        const beat = seen.find((s) => s.type === "kubernetes:apps/v1:Deployment" && s.state.metadata.name === "celery-beat")!;
        assert.equal(beat.state.spec.replicas, 1);
    });

    it("without pilotLight the same component carries today's load", async () => {
        const seen = await deployAppCluster(false);
        const web = seen.find((s) => s.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler" && s.state.metadata.name === "django-web")!;
        assert.equal(web.state.spec.minReplicas, 10);
    });
});
