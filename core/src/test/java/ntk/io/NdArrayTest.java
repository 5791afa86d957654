// Tests for NdArray: validation, shape helpers, indexing.
package ntk.io;

import ntk.NdArray;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NdArrayTest {
    @Test
    void constructorChecksLength() {
        assertThrows(IllegalArgumentException.class, () -> new NdArray(new int[] {2, 3}, new double[5]));
        assertThrows(IllegalArgumentException.class, () -> new NdArray(new int[] {-1}, new double[0]));
        assertThrows(IllegalArgumentException.class,
                () -> new NdArray(new int[] {Integer.MAX_VALUE, 2}, new double[0]));
        assertThrows(IllegalArgumentException.class, () -> new NdArray(new int[] {65536, 65536}, new double[0]));
        assertEquals(0, new NdArray(new int[] {Integer.MAX_VALUE, 0}, new double[0]).size());
    }

    @Test
    void scalarAndZeroSize() {
        NdArray s = NdArray.scalar(4.5);
        assertEquals(0, s.rank());
        assertEquals(1, s.size());
        assertEquals(4.5, s.get());
        assertEquals("()", s.shapeString());
        NdArray z = NdArray.zeros(3, 0, 2);
        assertEquals(0, z.size());
        assertEquals("(3, 0, 2)", z.shapeString());
        assertEquals("(5,)", NdArray.zeros(5).shapeString());
    }

    @Test
    void rowsRoundTrip() {
        double[][] rows = {{1, 2, 3}, {4, 5, 6}};
        NdArray a = NdArray.of(rows);
        assertArrayEquals(new int[] {2, 3}, a.shape);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, a.data);
        assertEquals(6.0, a.get(1, 2));
        assertEquals(3, a.dim(1));
        assertArrayEquals(rows, a.toRows());
        assertEquals("(2, 3)", a.shapeString());
        assertThrows(IllegalArgumentException.class, () -> NdArray.of(new double[][] {{1, 2}, {3}}));
        assertThrows(IllegalStateException.class, () -> NdArray.vector(1, 2).toRows());
        assertArrayEquals(new int[] {0, 0}, NdArray.of(new double[0][]).shape);
    }

    @Test
    void indexing() {
        NdArray a = NdArray.zeros(2, 3, 4);
        a.set(7, 1, 2, 3);
        assertEquals(23, a.offset(1, 2, 3));
        assertEquals(7, a.data[23]);
        assertArrayEquals(new int[] {1, 0, 2}, a.unravel(14));
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(2, 0, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> a.get(0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> a.get(0, 0));
    }

    @Test
    void equality() {
        assertEquals(NdArray.vector(1, Double.NaN), NdArray.vector(1, Double.NaN));
        assertNotEquals(NdArray.vector(1, 2), new NdArray(new int[] {2, 1}, new double[] {1, 2}));
        assertEquals(NdArray.vector(1, 2).hashCode(), NdArray.vector(1, 2).hashCode());
    }
}
