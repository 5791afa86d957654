package ntk.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;

/** The quotes' inline TeX as a report shows it, written out by hand for the quotes the experiments use. */
class TexInlineTest {
    @Test
    void theQuotesTexReadsAsMath() {
        assertEquals("Functions in class 𝒮 (ELU and Tanh) … parameter α = 0.01). … accuracy ∼ 10% which",
                TexInline.html("Functions in class \\mathcal{S} (ELU and Tanh) … parameter $\\alpha = 0.01$). …"
                        + " accuracy $\\sim 10\\%$ which"));
        assertEquals("the cost C ∘ F<sup>lin</sup> is … tangent kernel K\u0303 in … With P → ∞, by",
                TexInline.html("the cost $C \\circ F^{lin}$ is … tangent kernel \\tilde{K} in … With $P \\to \\infty$, by"));
        assertEquals("only o(√d) away … as d → ∞ !", TexInline.html("only $o(\\sqrt{d})$ away … as $d \\to \\infty$ !"));
        assertEquals("λ<sub>i</sub> = i<sup>-α</sup> for some α &gt; 1 [Geifman et al., 2020].",
                TexInline.html("$\\lambda_i = i^{-\\alpha}$ for some $\\alpha > 1$ [Geifman et al., 2020]."));
        assertEquals("(𝒪(L<sup>-1</sup>)) and 𝒪(log(L)L<sup>-1</sup>) … α<sub>L</sub> = L<sup>1+σ<sub>w</sub><sup>2</sup>/2</sup>"
                + " and the rate is Θ(log(L)<sup>-1</sup>)", TexInline.html("($\\mathcal{O}(L^{-1})$) and"
                + " $\\mathcal{O}(\\log(L)L^{-1})$ … $\\alpha_L = L^{1+\\sigma_w^2/2}$ and the rate is"
                + " $\\Theta(\\log(L)^{-1})$"));
        assertEquals("distribution of f<sub>θ(t)</sub> as t → ∞.",
                TexInline.html("distribution of f_{\\theta(t)} as t \\rightarrow \\infty."));
        assertEquals("being 10% higher; time step Δ = η; § 5", TexInline.html("being $10\\%$ higher; time step"
                + " $\\Delta = \\eta$; \\S 5"));
    }

    @Test
    void plainTextStaysAsWrittenAndHtmlIsEscaped() {
        String plain = "with SGD, dynamics are random — 44.53 % (n = 50) & more";
        assertEquals(plain.replace("&", "&amp;"), TexInline.html(plain));
        // a macro not known here is shown as written, with its arguments
        assertEquals("a &lt;b&gt; \\unknown{x} c", TexInline.html("a <b> \\unknown{x} c"));
        assertEquals("\\frac{a}{b_1}", TexInline.html("\\frac{a}{b_1}"));
        assertFalse(TexInline.html("$x$").contains("$"));
    }
}
