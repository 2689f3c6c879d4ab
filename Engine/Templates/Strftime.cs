using System.Globalization;
using System.Text;

namespace LlmSuite.Engine.Templates;

/// <summary>Python/glibc <c>strftime</c> in the C locale (what <c>strftime_now</c> produces under HF).</summary>
internal static class Strftime
{
    public static string Format(DateTimeOffset t, string format)
    {
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%' || i + 1 >= format.Length)
            {
                sb.Append(c);
                continue;
            }

            var d = format[++i];
            var noPad = false;
            if (d == '-' && i + 1 < format.Length)
            {
                noPad = true;
                d = format[++i];
            }

            string Pad(int v, int width) => noPad ? v.ToString(inv) : v.ToString(new string('0', width), inv);
            switch (d)
            {
                case 'a': sb.Append(t.ToString("ddd", inv)); break;
                case 'A': sb.Append(t.ToString("dddd", inv)); break;
                case 'b' or 'h': sb.Append(t.ToString("MMM", inv)); break;
                case 'B': sb.Append(t.ToString("MMMM", inv)); break;
                case 'c': sb.Append(t.ToString("ddd MMM ", inv)).Append(t.Day.ToString(inv).PadLeft(2)).Append(t.ToString(" HH:mm:ss yyyy", inv)); break;
                case 'd': sb.Append(Pad(t.Day, 2)); break;
                case 'e': sb.Append(noPad ? t.Day.ToString(inv) : t.Day.ToString(inv).PadLeft(2)); break;
                case 'f': sb.Append((t.Ticks % TimeSpan.TicksPerSecond / 10).ToString("000000", inv)); break;
                case 'H': sb.Append(Pad(t.Hour, 2)); break;
                case 'I': sb.Append(Pad(t.Hour % 12 == 0 ? 12 : t.Hour % 12, 2)); break;
                case 'j': sb.Append(Pad(t.DayOfYear, 3)); break;
                case 'm': sb.Append(Pad(t.Month, 2)); break;
                case 'M': sb.Append(Pad(t.Minute, 2)); break;
                case 'p': sb.Append(t.Hour < 12 ? "AM" : "PM"); break;
                case 'S': sb.Append(Pad(t.Second, 2)); break;
                case 'y': sb.Append(Pad(t.Year % 100, 2)); break;
                case 'Y': sb.Append(t.Year.ToString(inv)); break;
                case 'w': sb.Append((int)t.DayOfWeek); break;
                case 'u': sb.Append(t.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)t.DayOfWeek); break;
                case 'x': sb.Append(t.ToString("MM/dd/yy", inv)); break;
                case 'X': sb.Append(t.ToString("HH:mm:ss", inv)); break;
                case 'D': sb.Append(t.ToString("MM/dd/yy", inv)); break;
                case 'F': sb.Append(t.ToString("yyyy-MM-dd", inv)); break;
                case 'T': sb.Append(t.ToString("HH:mm:ss", inv)); break;
                case 'R': sb.Append(t.ToString("HH:mm", inv)); break;
                case 'z':
                {
                    var off = t.Offset;
                    sb.Append(off < TimeSpan.Zero ? '-' : '+').Append(Math.Abs(off.Hours).ToString("00", inv)).Append(Math.Abs(off.Minutes).ToString("00", inv));
                    break;
                }

                case 'Z': sb.Append(t.Offset == TimeSpan.Zero ? "UTC" : ""); break;
                case '%': sb.Append('%'); break;
                default: sb.Append('%').Append(d); break;
            }
        }

        return sb.ToString();
    }
}
