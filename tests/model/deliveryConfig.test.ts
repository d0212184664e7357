/** Config `hybrid-platform:delivery` of the bootstrap stack (model/deliveryConfig.ts, model/bootstrapConfig.ts), and the deprecated ci.githubRepository. */
import * as assert from "node:assert/strict";
import { loadBootstrapConfig } from "../../model/bootstrapConfig";
import { configErrorOf, configWith } from "../support";

const flat = (changes: Record<string, string | undefined>) => configWith("bootstrap", changes);
const committed = () => JSON.parse(flat({})["hybrid-platform:delivery"]) as Record<string, unknown>;
const ci = () => JSON.parse(flat({})["hybrid-platform:ci"]) as Record<string, unknown>;
const errorOf = (config: Record<string, string>) => configErrorOf(config, loadBootstrapConfig).message;

describe("bootstrap config hybrid-platform:delivery", () => {
    it("reads the committed stack file: organisation, repository, each app repository's images, the drill environment, the state in the DR region", () => {
        const cfg = loadBootstrapConfig(flat({}));
        assert.equal(cfg.delivery.githubOrganisation, "example-org");
        assert.equal(cfg.delivery.repository, "hybrid-platform");
        assert.deepEqual(cfg.delivery.appRepositories, { "django-web": ["django-web"], "fastapi-api": ["fastapi-api"], "celery-worker": ["celery-worker"] });
        assert.equal(cfg.delivery.drillEnvironment, "dr-drill");
        assert.equal(cfg.delivery.stateRegion, "eu-west-1", "the first replica region");
        assert.equal(cfg.delivery.stateKeyAlias, "alias/hybrid-platform/pulumi-state");
        // The deploy roles' repository comes from delivery when ci.githubRepository is not set.
        assert.equal(cfg.ci.githubRepository, "example-org/hybrid-platform");
    });

    it("still accepts the deprecated ci.githubRepository alone (existing stack files), and both when they agree", () => {
        const old = loadBootstrapConfig(
            flat({ "hybrid-platform:delivery": undefined, "hybrid-platform:ci": JSON.stringify({ ...ci(), githubRepository: "other-org/infra" }) }),
        );
        assert.equal(old.delivery.githubOrganisation, "other-org");
        assert.equal(old.delivery.repository, "infra");
        assert.deepEqual(Object.keys(old.delivery.appRepositories).sort(), ["celery-worker", "django-web", "fastapi-api"]);
        const both = loadBootstrapConfig(flat({ "hybrid-platform:ci": JSON.stringify({ ...ci(), githubRepository: "example-org/hybrid-platform" }) }));
        assert.equal(both.ci.githubRepository, "example-org/hybrid-platform");
    });

    it("refuses a ci.githubRepository that disagrees with delivery, and neither being set", () => {
        assert.match(
            errorOf(flat({ "hybrid-platform:ci": JSON.stringify({ ...ci(), githubRepository: "other-org/infra" }) })),
            /^invalid config hybrid-platform:ci\.githubRepository: .*other-org\/infra is not delivery's example-org\/hybrid-platform/,
        );
        assert.match(
            errorOf(flat({ "hybrid-platform:delivery": undefined })),
            /^invalid config hybrid-platform:delivery: .*GitHub organisation and repository/,
        );
    });

    it("refuses an image the registry does not hold, an app repository whose role name would pass IAM's 64 characters, and a misspelt key", () => {
        assert.match(
            errorOf(flat({ "hybrid-platform:delivery": JSON.stringify({ ...committed(), appRepositories: { "django-web": ["django"] } }) })),
            /^invalid config hybrid-platform:delivery\.appRepositories\.django-web\[0\]/,
        );
        assert.match(
            errorOf(flat({ "hybrid-platform:delivery": JSON.stringify({ ...committed(), appRepositories: { ["a".repeat(38)]: ["django-web"] } }) })),
            /^invalid config hybrid-platform:delivery\.appRepositories.*at most 37 characters/,
        );
        assert.match(
            errorOf(flat({ "hybrid-platform:delivery": JSON.stringify({ ...committed(), githubOrganization: "x" }) })),
            /hybrid-platform:delivery\.githubOrganization: expected a known key \(did you mean "githubOrganisation"\?\)/,
        );
    });
});
