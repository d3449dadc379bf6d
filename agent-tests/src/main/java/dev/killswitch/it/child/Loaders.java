package dev.killswitch.it.child;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;

/** The class loaders the fixtures are loaded through. */
final class Loaders {
    private Loaders() {
    }

    /**
     * @param kind {@code system} (the fixtures are on the class path), {@code child-first} (a loader that
     *        looks at its own URLs before its parent, the system loader) or {@code platform-parent} (a
     *        loader whose parent is the platform loader, so it cannot see the class path)
     */
    static ClassLoader create(String kind, Path fixtures) throws MalformedURLException {
        URL[] urls = {fixtures.toUri().toURL()};
        switch (kind) {
            case "system":
                return ClassLoader.getSystemClassLoader();
            case "child-first":
                return new ChildFirst(urls, ClassLoader.getSystemClassLoader());
            case "platform-parent":
                return new URLClassLoader("platform-parent", urls, ClassLoader.getPlatformClassLoader());
            default:
                throw new IllegalArgumentException("loader kind " + kind);
        }
    }

    static final class ChildFirst extends URLClassLoader {
        ChildFirst(URL[] urls, ClassLoader parent) {
            super("child-first", urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("com.acme.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }
}
