/**
 * The bundled sample-data generator: a seeded, deterministic simulation of an omnichannel
 * retailer's customers that writes landing files for every source of the CDP, plus a ground
 * truth the pipeline never reads. Plain Java, no Spark. Entry point:
 * {@link org.lakecdp.core.sample.SampleDataGenerator}.
 */
package org.lakecdp.core.sample;
