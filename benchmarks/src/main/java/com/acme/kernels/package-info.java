/**
 * The benchmark kernels: ordinary application code, outside {@code dev.killswitch} so that the agent
 * may instrument it. Each one is loaded twice, as written and with kill points, and run side by side.
 */
package com.acme.kernels;
