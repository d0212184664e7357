/** The mutation suite's rows on the bootstrap stack's preview plan (see ../mutationSuite.ts). */
import { describeMutations } from "../mutationSuite";

describeMutations("bootstrap", "preview");
