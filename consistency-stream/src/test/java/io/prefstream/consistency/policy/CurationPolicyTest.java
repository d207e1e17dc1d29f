package io.prefstream.consistency.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Random;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.prefstream.schemas.Preference;

/** The curation rule as a table that reaches every branch, plus properties checked on random inputs. */
class CurationPolicyTest {
    private static final double DELTA = 0.1;
    private final CurationPolicy flipping = new CurationPolicy("dual-rm", "1", DELTA, true);
    private final CurationPolicy notFlipping = new CurationPolicy("dual-rm", "1", DELTA, false);

    @ParameterizedTest(name = "p_best={0} p_gold={1} -> {2}")
    @CsvSource({
        // both agree, best above 0.5 + delta
        "0.90, 0.90, RM_CONSENSUS",
        "0.61, 0.51, RM_CONSENSUS",
        // best agrees but not by more than delta (boundary excluded)
        "0.60, 0.90, ADJUDICATE",
        "0.55, 0.90, ADJUDICATE",
        // gold at exactly 0.5 does not agree
        "0.90, 0.50, ADJUDICATE",
        // gold disagrees
        "0.90, 0.10, ADJUDICATE",
        // best disagrees
        "0.20, 0.90, ADJUDICATE",
        "0.10, 0.10, ADJUDICATE",
    })
    void afterScoring(double pBest, double pGold, Route expected) {
        assertThat(flipping.afterScoring(pBest, pGold)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "p_best={0} p_gold={1} llm={2} flip={3} -> {4}")
    @CsvSource(nullValues = "NONE", value = {
        // gold agrees AND (LLM agrees OR best agrees) -> accept
        "0.20, 0.80, CHOSEN,   true,  LLM_ADJUDICATED",
        "0.80, 0.80, REJECTED, true,  LLM_ADJUDICATED",
        "0.80, 0.80, TIE,      true,  LLM_ADJUDICATED",
        "0.80, 0.80, NONE,     true,  LLM_ADJUDICATED",
        "0.51, 0.51, INVALID,  false, LLM_ADJUDICATED",
        // gold and LLM both prefer the opposite -> flipped (or rejected when flipping is off)
        "0.80, 0.20, REJECTED, true,  FLIPPED",
        "0.20, 0.20, REJECTED, true,  FLIPPED",
        "0.20, 0.20, REJECTED, false, REJECTED",
        // no LLM majority and no acceptance -> review
        "0.20, 0.80, TIE,      true,  REVIEW",
        "0.90, 0.20, TIE,      true,  REVIEW",
        "0.90, 0.20, NONE,     true,  REVIEW",
        "0.90, 0.20, INVALID,  false, REVIEW",
        "0.90, 0.50, TIE,      true,  REVIEW",
        // everything else -> rejected
        "0.20, 0.80, REJECTED, true,  REJECTED",
        "0.90, 0.20, CHOSEN,   true,  REJECTED",
        "0.90, 0.50, REJECTED, true,  REJECTED",
        "0.90, 0.50, CHOSEN,   true,  REJECTED",
    })
    void afterLabelling(double pBest, double pGold, Preference llm, boolean flip, Route expected) {
        CurationPolicy policy = flip ? flipping : notFlipping;
        assertThat(policy.afterLabelling(pBest, pGold, llm)).isEqualTo(expected);
    }

    @Test
    void theTablesReachEveryRoute() {
        Set<Route> reached = EnumSet.noneOf(Route.class);
        Random random = new Random(1);
        for (int i = 0; i < 10_000; i++) {
            double pBest = random.nextDouble();
            double pGold = random.nextDouble();
            reached.add(flipping.afterScoring(pBest, pGold));
            reached.add(flipping.afterLabelling(pBest, pGold, randomMajority(random)));
        }
        assertThat(reached).containsExactlyInAnyOrder(Route.values());
    }

    @Test
    void agreementIsTheSigmoidOfTheRewardMarginAndMirrorsWhenTheLabelIsSwapped() {
        assertThat(CurationPolicy.agreement(1.0, 1.0)).isEqualTo(0.5);
        assertThat(CurationPolicy.agreement(2.0, 0.0)).isCloseTo(0.8808, org.assertj.core.data.Offset.offset(1e-4));
        Random random = new Random(2);
        for (int i = 0; i < 10_000; i++) {
            double a = random.nextGaussian() * 3;
            double b = random.nextGaussian() * 3;
            assertThat(CurationPolicy.agreement(a, b) + CurationPolicy.agreement(b, a))
                .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
        }
    }

    /**
     * Property: when the gold RM and the LLM majority agree with each other, the pair that ends up
     * curated is the same whichever response was proposed as chosen: one orientation is accepted as
     * LLM-adjudicated, its mirror is flipped into it.
     */
    @Test
    void flippingThePairsLabelMirrorsTheDecisionWhenGoldAndTheLlmAgree() {
        Random random = new Random(3);
        int checked = 0;
        for (int i = 0; i < 20_000; i++) {
            double pBest = random.nextDouble();
            double pGold = random.nextDouble();
            if (pGold == 0.5) {
                continue;
            }
            Preference llm = pGold > 0.5 ? Preference.CHOSEN : Preference.REJECTED;
            Route proposed = flipping.afterLabelling(pBest, pGold, llm);
            Route mirrored = flipping.afterLabelling(1 - pBest, 1 - pGold, mirror(llm));
            assertThat(Set.of(proposed, mirrored)).as("p_best=%s p_gold=%s llm=%s", pBest, pGold, llm)
                .containsExactlyInAnyOrder(Route.LLM_ADJUDICATED, Route.FLIPPED);
            assertThat(proposed == Route.LLM_ADJUDICATED).isEqualTo(pGold > 0.5);
            checked++;
        }
        assertThat(checked).isGreaterThan(19_000);
    }

    /** Property: RM consensus never holds for both a pair and its mirror; neither do acceptances after labelling. */
    @Test
    void aPairAndItsMirrorAreNeverBothAccepted() {
        Random random = new Random(4);
        for (int i = 0; i < 20_000; i++) {
            double pBest = random.nextDouble();
            double pGold = random.nextDouble();
            Preference llm = randomMajority(random);
            assertThat(flipping.afterScoring(pBest, pGold) == Route.RM_CONSENSUS
                && flipping.afterScoring(1 - pBest, 1 - pGold) == Route.RM_CONSENSUS).isFalse();
            assertThat(flipping.afterLabelling(pBest, pGold, llm) == Route.LLM_ADJUDICATED
                && flipping.afterLabelling(1 - pBest, 1 - pGold, mirror(llm)) == Route.LLM_ADJUDICATED).isFalse();
        }
    }

    /** Property: more agreement from either RM never turns an acceptance into something else. */
    @Test
    void raisingAgreementKeepsAnAcceptance() {
        Random random = new Random(5);
        for (int i = 0; i < 20_000; i++) {
            double pBest = random.nextDouble();
            double pGold = random.nextDouble();
            double upBest = pBest + (1 - pBest) * random.nextDouble();
            double upGold = pGold + (1 - pGold) * random.nextDouble();
            Preference llm = randomMajority(random);
            if (flipping.afterScoring(pBest, pGold) == Route.RM_CONSENSUS) {
                assertThat(flipping.afterScoring(upBest, upGold)).isEqualTo(Route.RM_CONSENSUS);
            }
            if (flipping.afterLabelling(pBest, pGold, llm) == Route.LLM_ADJUDICATED) {
                assertThat(flipping.afterLabelling(upBest, upGold, llm)).isEqualTo(Route.LLM_ADJUDICATED);
            }
        }
    }

    @Test
    void theBestRmProposesTheLabelAndKeepsTheOrderOnATie() {
        assertThat(CurationPolicy.bestPrefersSecond(0.1, 0.9)).isTrue();
        assertThat(CurationPolicy.bestPrefersSecond(0.9, 0.1)).isFalse();
        assertThat(CurationPolicy.bestPrefersSecond(0.5, 0.5)).isFalse();
    }

    @Test
    void theVersionTagNamesTheThresholds() {
        assertThat(flipping.versionTag()).isEqualTo("1 (delta=0.1, flip=on)");
        assertThat(notFlipping.versionTag()).isEqualTo("1 (delta=0.1, flip=off)");
    }

    @Test
    void rejectsADeltaOutsideItsRangeNamingIt() {
        assertThatThrownBy(() -> new CurationPolicy("p", "1", 0.5, true)).hasMessageContaining("delta must be in [0, 0.5)");
        assertThatThrownBy(() -> new CurationPolicy("p", "1", -0.1, true)).hasMessageContaining("delta");
        assertThatThrownBy(() -> new CurationPolicy(" ", "1", 0.1, true)).hasMessageContaining("name");
    }

    private static Preference mirror(Preference p) {
        if (p == null) {
            return null;
        }
        return switch (p) {
            case CHOSEN -> Preference.REJECTED;
            case REJECTED -> Preference.CHOSEN;
            default -> p;
        };
    }

    private static Preference randomMajority(Random random) {
        int i = random.nextInt(Preference.values().length + 1);
        return i == Preference.values().length ? null : Preference.values()[i];
    }
}
