package io.oe.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/** Picks the test broker named by the system property {@code oe.test.broker} (default {@code maven-jar}). */
public final class BrokerProviders {
    public static final String PROPERTY = "oe.test.broker";

    private BrokerProviders() {
    }

    public static BrokerProvider fromSystemProperty() {
        String name = System.getProperty(PROPERTY, "").trim();
        return create(name.isEmpty() ? MavenJarBrokerProviderFactory.NAME : name);
    }

    public static BrokerProvider create(String name) {
        if (MavenJarBrokerProviderFactory.NAME.equals(name)) {
            return new MavenJarBrokerProviderFactory().create();
        }
        List<String> known = new ArrayList<>(List.of(MavenJarBrokerProviderFactory.NAME));
        for (BrokerProviderFactory f : ServiceLoader.load(BrokerProviderFactory.class)) {
            if (f.name().equals(name)) {
                return f.create();
            }
            known.add(f.name());
        }
        throw new IllegalArgumentException("unknown test broker -D" + PROPERTY + "=" + name + "; available here: "
                + known + (name.equals("testcontainers")
                        ? " (the testcontainers provider lives in the e2e-tests test classpath)" : ""));
    }
}
