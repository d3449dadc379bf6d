/** An explicit module: it reads only what it declares, so code the agent gives it must be let read the runtime. */
module com.acme.modular {
    exports com.acme.modular;
}
