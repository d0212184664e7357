import * as assert from "node:assert/strict";
import fc from "fast-check";
import { filled, unfilledSparseMetrics } from "../../model/metricMath";

const count = (id: string, stat = "Sum") => ({ id, metric: { stat } });

describe("model/metricMath: sparse counts in metric math", () => {
    it("finds a Sum or SampleCount read outside FILL, once per expression", () => {
        const queries = [{ id: "rate", expression: "100 * (a + FILL(b, 0)) / MAX([c, 1]) + a" }, count("a"), count("b"), count("c", "SampleCount")];
        assert.deepEqual(unfilledSparseMetrics(queries), [
            { expressionId: "rate", metricId: "a" },
            { expressionId: "rate", metricId: "c" },
        ]);
    });

    it("ignores averages and names that only contain an id", () => {
        const queries = [{ id: "e", expression: "cpu + FILL(err, 0) + errors_total" }, count("cpu", "Average"), count("err")];
        assert.deepEqual(unfilledSparseMetrics(queries), []);
    });

    it("accepts any expression written with filled() and rejects it once one reference is bare", () => {
        const id = fc.stringMatching(/^[a-z][a-z0-9]{0,6}$/);
        fc.assert(
            fc.property(fc.uniqueArray(id, { minLength: 1, maxLength: 4 }), fc.nat(), (ids, pick) => {
                const queries = ids.map((i) => count(i));
                const all = ids.map((i) => filled(i)).join(" + ");
                assert.deepEqual(unfilledSparseMetrics([{ id: "E", expression: all }, ...queries]), []);
                const bare = ids[pick % ids.length];
                const broken = `${all} / ${bare}`;
                assert.deepEqual(unfilledSparseMetrics([{ id: "E", expression: broken }, ...queries]), [{ expressionId: "E", metricId: bare }]);
            }),
        );
    });
});
