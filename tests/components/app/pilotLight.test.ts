/**
 * AppCluster used directly as a component (as the DR stack uses it): a pilot light runs every
 * workload at its floor with the HPA and node group maxima of the full plan.
 */
import * as assert from "node:assert/strict";
import { Plan } from "../../../tools/offline";
import { appClusterAlone, ofType } from "../../support";

type Json = Record<string, any>;

/** AppCluster alone with the dr stack's config (its region, capacity and app section). */
const deployAppCluster = (pilotLight: boolean): Promise<Plan> => appClusterAlone({ stack: "dr", args: { pilotLight } });
const state = (plan: Plan, type: string) => ofType(plan, type).map((r) => r.props as Json);

describe("AppCluster pilot light (component API for the DR stack)", () => {
    it("runs web/api/worker at 3 replicas and one node per AZ, keeping the 10,000-user maxima", async () => {
        const plan = await deployAppCluster(true);
        const hpas = Object.fromEntries(
            state(plan, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").map((h) => [h.metadata.name, [h.spec.minReplicas, h.spec.maxReplicas]]),
        );
        assert.deepEqual(hpas, { "django-web": [3, 100], "fastapi-api": [3, 100], "celery-worker": [3, 40] });
        const groups = state(plan, "aws:eks/nodeGroup:NodeGroup");
        assert.equal(groups.length, 3);
        for (const g of groups) assert.deepEqual(g.scalingConfig, { minSize: 1, desiredSize: 1, maxSize: 21 });
        const beat = state(plan, "kubernetes:apps/v1:Deployment").find((d) => d.metadata.name === "celery-beat")!;
        assert.equal(beat.spec.replicas, 1);
    });

    it("without pilotLight the same component carries today's load", async () => {
        const plan = await deployAppCluster(false);
        const web = state(plan, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler").find((h) => h.metadata.name === "django-web")!;
        assert.equal(web.spec.minReplicas, 10);
    });
});
