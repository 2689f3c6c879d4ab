namespace LlmSuite.Engine.Templates;

/// <summary>Cached boxes for small integers and booleans (loop counters, lengths) to avoid per-access allocation.</summary>
internal static class Boxes
{
    private static readonly object[] SmallLongs = CreateSmallLongs();
    private static readonly object True = true;
    private static readonly object False = false;

    private static object[] CreateSmallLongs()
    {
        var boxes = new object[1024];
        for (var i = 0; i < boxes.Length; i++)
        {
            boxes[i] = (long)i;
        }

        return boxes;
    }

    public static object Long(long value) => value >= 0 && value < SmallLongs.Length ? SmallLongs[value] : value;

    public static object Bool(bool value) => value ? True : False;
}
