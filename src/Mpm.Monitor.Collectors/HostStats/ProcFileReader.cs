using Microsoft.Win32.SafeHandles;

namespace Mpm.Monitor.Collectors.HostStats;

/// <summary>
/// Reads small /proc files into one reused buffer. /proc files report a size of 0, so they are
/// read until the kernel returns nothing more; the buffer grows when a file outgrows it.
/// </summary>
internal sealed class ProcFileReader
{
    private byte[] _buffer = new byte[16 * 1024];

    /// <summary>The file's bytes, valid until the next call; null when the file has gone (a process exited).</summary>
    public ReadOnlySpan<byte> Read(string path, out bool exists)
    {
        SafeFileHandle handle;
        try
        {
            handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            exists = false;
            return default;
        }
        using (handle)
        {
            var length = 0;
            while (true)
            {
                int read;
                try
                {
                    read = RandomAccess.Read(handle, _buffer.AsSpan(length), length);
                }
                catch (IOException)
                {
                    // ESRCH: the process exited between open and read.
                    exists = false;
                    return default;
                }
                if (read == 0)
                {
                    exists = true;
                    return _buffer.AsSpan(0, length);
                }
                length += read;
                if (length == _buffer.Length)
                {
                    Array.Resize(ref _buffer, _buffer.Length * 2);
                }
            }
        }
    }
}
