package io.oe.standalone;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The standalone process: begins the broker's start, then boots the six services. The broker comes first because it
 * is the longest part of a start and needs nothing of Quarkus; booting the services beside it instead of before it
 * takes a second or more off every `oe up` (docs/performance.md, "What was tried").
 */
@QuarkusMain
public final class StandaloneMain {
    private StandaloneMain() {
    }

    public static void main(String... args) {
        BrokerStart.beginEarly(System.getenv());
        Quarkus.run(args);
    }
}
