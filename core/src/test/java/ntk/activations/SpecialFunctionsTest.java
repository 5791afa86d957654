package ntk.activations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SpecialFunctionsTest {
    /** {x, erf(x), erfc(x)} computed with mpmath at 40 digits (independent of this code). */
    static final double[][] TABLE = {
        {-6.0, -0.99999999999999997848, 1.9999999999999999785},
        {-3.5, -0.99999925690162765859, 1.9999992569016276586},
        {-2.0, -0.99532226501895273416, 1.9953222650189527342},
        {-1.0, -0.84270079294971486934, 1.8427007929497148693},
        {-0.5, -0.52049987781304653768, 1.5204998778130465377},
        {-0.3, -0.32862675945912741619, 1.3286267594591274162},
        {-1e-05, -0.000011283791670579000273, 1.000011283791670579},
        {0.0, 0.0, 1.0},
        {1e-10, 1.128379167095512615e-10, 0.99999999988716208329},
        {0.001, 0.0011283787909692364034, 0.9988716212090307636},
        {0.1, 0.1124629160182848984, 0.8875370839817151016},
        {0.3, 0.32862675945912741619, 0.67137324054087258381},
        {0.46875, 0.49261347321793799159, 0.50738652678206200841},
        {0.47, 0.49374505088608211241, 0.50625494911391788759},
        {0.5, 0.52049987781304653768, 0.47950012218695346232},
        {0.75, 0.7111556336535151316, 0.2888443663464848684},
        {1.0, 0.84270079294971486934, 0.15729920705028513066},
        {1.5, 0.96610514647531072707, 0.033894853524689272933},
        {2.0, 0.99532226501895273416, 0.0046777349810472658379},
        {2.5, 0.99959304798255504106, 0.00040695201744495893956},
        {3.0, 0.99997790950300141456, 0.000022090496998585441373},
        {3.9, 0.99999996520775140277, 3.4792248597231767129e-8},
        {4.0, 0.99999998458274209972, 1.5417257900280018852e-8},
        {4.1, 0.99999999329997234592, 6.7000276540849184417e-9},
        {5.0, 0.99999999999846254021, 1.5374597944280348502e-12},
        {6.0, 0.99999999999999997848, 2.1519736712498913117e-17},
        {8.0, 1.0, 1.122429717298292708e-29},
        {10.0, 1.0, 2.088487583762544757e-45},
        {15.0, 1.0, 7.2129941724512066666e-100},
        {20.0, 1.0, 5.3958656116079009289e-176},
        {26.0, 1.0, 5.6631924088561428465e-296},
    };

    static double rel(double a, double b) {
        return a == b ? 0.0 : Math.abs(a - b) / Math.abs(b);
    }

    @Test
    void erfAndErfcMatchHighPrecisionTableWithin3ulp() {
        double worstErf = 0;
        double worstErfc = 0;
        for (double[] r : TABLE) {
            worstErf = Math.max(worstErf, rel(SpecialFunctions.erf(r[0]), r[1]));
            worstErfc = Math.max(worstErfc, rel(SpecialFunctions.erfc(r[0]), r[2]));
        }
        System.out.printf("erf table: worst rel err erf %.2e, erfc %.2e%n", worstErf, worstErfc);
        assertTrue(worstErf < 6.7e-16, "erf " + worstErf);
        assertTrue(worstErfc < 1.5e-15, "erfc " + worstErfc);
        assertEquals(0.5204998778130465377, SpecialFunctions.erf(0.5), 2e-16);
        assertEquals(0.8427007929497148693, SpecialFunctions.erf(1.0), 2e-16);
        assertEquals(0.9953222650189527342, SpecialFunctions.erf(2.0), 2e-16);
        assertEquals(1.5374597944280348502e-12, SpecialFunctions.erfc(5.0), 1e-27);
        assertEquals(0.5, SpecialFunctions.normalCdf(0.0), 0.0);
        assertEquals(0.841344746068542948585232545632, SpecialFunctions.normalCdf(1.0), 3e-16);
        assertTrue(Double.isNaN(SpecialFunctions.erf(Double.NaN)));
        assertEquals(1.0, SpecialFunctions.erf(Double.POSITIVE_INFINITY));
        assertEquals(0.0, SpecialFunctions.erfc(Double.POSITIVE_INFINITY));
        assertEquals(2.0, SpecialFunctions.erfc(Double.NEGATIVE_INFINITY));
    }

    @Test
    void erfMatchesPythonMathErfOnAGridIfPythonIsAvailable() throws Exception {
        List<double[]> rows = new ArrayList<>();
        try {
            Process p = new ProcessBuilder("python3", "-c",
                "import math\nfor i in range(-1200, 2700):\n x = i / 100.0\n print(repr(x), repr(math.erf(x)), repr(math.erfc(x)))")
                .redirectErrorStream(true).start();
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    String[] f = line.trim().split(" ");
                    rows.add(new double[] {Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2])});
                }
            }
            p.waitFor(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            ntk.CrossChecks.toolMissing("python3 not available: " + e.getMessage());
        }
        if (rows.size() != 3900) {
            ntk.CrossChecks.toolMissing("python3 output incomplete: " + rows.size() + " of 3900 rows");
        }
        double worstErf = 0;
        double worstErfc = 0;
        for (double[] r : rows) {
            worstErf = Math.max(worstErf, rel(SpecialFunctions.erf(r[0]), r[1]));
            if (r[2] > 1e-300) {
                worstErfc = Math.max(worstErfc, rel(SpecialFunctions.erfc(r[0]), r[2]));
            }
        }
        System.out.printf("python math.erf grid x in [-12, 27): worst rel err erf %.2e, erfc %.2e%n", worstErf, worstErfc);
        assertTrue(worstErf < 6.7e-16, "erf " + worstErf);
        assertTrue(worstErfc < 4e-15, "erfc " + worstErfc);
    }
}
