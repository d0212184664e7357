/** The mutation suite's rows on the bootstrap stack's update plan (see ../mutationSuite.ts). */
import { describeMutations } from "../mutationSuite";

describeMutations("bootstrap", "update");
