package io.oe.planloader;

import static org.assertj.core.api.Assertions.assertThat;

import io.oe.core.plan.PlanJson;
import org.junit.jupiter.api.Test;

class ActorTest {
    @Test
    void aBodyNamingSomeoneElseIsIgnoredAndTheAnswerSaysSo() throws Exception {
        var body = PlanJson.MAPPER.readTree("{\"command\": \"CANCEL\", \"actor\": \"mallory\"}");
        assertThat(Actor.ignored(body, "actor", "otto"))
                .isEqualTo("actor 'mallory' in the body is ignored: the actor is the authenticated identity otto");
    }

    @Test
    void aBundleNamingAnotherSubmitterIsIgnoredToo() throws Exception {
        var bundle = PlanJson.MAPPER.readTree("{\"submitted_by\": \"ci\"}");
        assertThat(Actor.ignored(bundle, "submitted_by", "alice"))
                .isEqualTo("submitted_by 'ci' in the body is ignored: the actor is the authenticated identity alice");
    }

    @Test
    void aBodyNamingTheIdentityItselfOrNoOneHasNothingIgnored() throws Exception {
        assertThat(Actor.ignored(PlanJson.MAPPER.readTree("{\"actor\": \"otto\"}"), "actor", "otto")).isNull();
        assertThat(Actor.ignored(PlanJson.MAPPER.readTree("{\"command\": \"PAUSE\"}"), "actor", "otto")).isNull();
        assertThat(Actor.ignored(PlanJson.MAPPER.readTree("{\"actor\": null}"), "actor", "otto")).isNull();
    }

    @Test
    void aNonTextActorIsShownAsItCame() throws Exception {
        assertThat(Actor.ignored(PlanJson.MAPPER.readTree("{\"actor\": {\"name\": \"x\"}}"), "actor", "otto"))
                .startsWith("actor {\"name\":\"x\"} in the body is ignored");
    }
}
